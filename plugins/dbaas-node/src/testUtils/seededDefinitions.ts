import { FakeGitHub } from './FakeGitHub';

/**
 * The path of the i-th seeded definition: spread over ten teams, so that the
 * tree has folders as a real apps repository does.
 *
 * @public
 */
export function seededDefinitionPath(i: number): string {
  const team = String(i % 10).padStart(2, '0');
  const app = String(i).padStart(3, '0');
  return `team-${team}/app-${app}/values.yaml`;
}

/**
 * The `values.yaml` of the i-th seeded definition: one database named `db<i>`.
 *
 * @public
 */
export function seededDefinitionValues(i: number): string {
  return `postgresqlDatabases:\n  - name: db${i}\n    mode: standard\n`;
}

/**
 * A definition file as an apps repository lists it.
 *
 * @public
 */
export type SeededDefinition = { path: string; content: string };

/**
 * Seeds `owner/repo` on the fake with a README, `count` definitions (see
 * {@link seededDefinitionPath}) and the `extraFiles` given; returns the
 * definitions sorted by path, as a listing of the repository should return
 * them.
 *
 * @public
 */
export function seedDefinitions(
  fake: FakeGitHub,
  options: {
    owner: string;
    repo: string;
    count: number;
    extraFiles?: (i: number) => Record<string, string>;
  },
): SeededDefinition[] {
  const files: Record<string, string> = { 'README.md': '# apps\n' };
  for (let i = 0; i < options.count; i++) {
    files[seededDefinitionPath(i)] = seededDefinitionValues(i);
    Object.assign(files, options.extraFiles?.(i));
  }
  fake.seedRepo(options.owner, options.repo, { files });
  return Object.entries(files)
    .filter(([path]) => path.endsWith('/values.yaml'))
    .map(([path, content]) => ({ path, content }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * GitHub calls of one repository, by kind.
 *
 * @public
 */
export type GitHubCallCounts = {
  /** All REST calls. */
  total: number;
  /** Calls answered `304 Not Modified`. */
  notModified: number;
  branch: number;
  trees: number;
  blobs: number;
  tarballs: number;
  pulls: number;
  /** Archive downloads: not REST calls, not counted by GitHub. */
  downloads: number;
};

/**
 * The calls the fake answered since the last look, by kind, for the cost
 * tests of the apps repository's reads; forgets them, so the next look
 * counts from here.
 *
 * @public
 */
export function takeGitHubCallCounts(
  fake: FakeGitHub,
  owner: string,
  repo: string,
): GitHubCallCounts {
  const prefix = `/repos/${owner}/${repo}`;
  const kinds = fake.requests.map(r =>
    (r.path.startsWith(prefix) ? r.path.slice(prefix.length) : r.path)
      .replace(/\/[0-9a-f]{40}$/, '/{sha}')
      .replace(/\/branches\/.*$/, '/branches/{branch}'),
  );
  const count = (kind: string) => kinds.filter(k => k === kind).length;
  const result = {
    total: fake.requests.length,
    notModified: fake.notModifiedCount,
    branch: count('/branches/{branch}'),
    trees: count('/git/trees/{sha}'),
    blobs: count('/git/blobs/{sha}'),
    tarballs: count('/tarball/{sha}'),
    pulls: count('/pulls'),
    downloads: fake.downloads.length,
  };
  fake.clearRequests();
  return result;
}
