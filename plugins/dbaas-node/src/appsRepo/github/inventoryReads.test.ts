import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { Octokit } from '@octokit/rest';
import {
  FakeGitHub,
  seedDefinitions,
  seededDefinitionPath as pathOf,
  seededDefinitionValues as valuesOf,
  takeGitHubCallCounts,
} from '../../testUtils';
import { suiteBranchName } from '../suiteBranches';
import { GitHubAppsRepository } from './GitHubAppsRepository';
import {
  GitObjectCache,
  GitObjectCacheEntry,
  blobKey,
  definitionsKey,
} from './GitObjectCache';
import { InMemoryGitObjectCache } from './InMemoryGitObjectCache';
import { gitBlobSha } from './revision';

const OWNER = 'acme';
const REPO = 'apps';
const DEFINITIONS = 200;

/** The inventory's reads in one sync: definitions and pull requests, at once. */
async function sync(repo: GitHubAppsRepository, updatedSince?: Date) {
  const [files, changes] = await Promise.all([
    repo.listDefinitionFiles(),
    repo.listChanges(updatedSince ? { updatedSince } : {}),
  ]);
  return { files, changes };
}

describe('GitHubAppsRepository inventory reads', () => {
  let fake: FakeGitHub;
  let expected: { path: string; content: string }[];

  const makeRepo = (objectCache?: GitObjectCache) =>
    new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'test-token' }),
      owner: OWNER,
      repo: REPO,
      objectCache,
      logger: mockServices.logger.mock(),
      retry: { sleep: async () => {} },
    });

  /** Calls since the last look, by kind, and how many were answered 304. */
  const counted = () => takeGitHubCallCounts(fake, OWNER, REPO);

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    expected = seedDefinitions(fake, {
      owner: OWNER,
      repo: REPO,
      count: DEFINITIONS,
    });
  });

  afterEach(() => fake.stop());

  it('reads 200 definitions once (from the archive), then an idle sync costs two calls answered 304', async () => {
    const repo = makeRepo();

    const first = await sync(repo);
    expect(first.files).toEqual(expected);
    expect(counted()).toEqual({
      total: 4,
      notModified: 0,
      branch: 1,
      trees: 1,
      blobs: 0,
      tarballs: 1,
      pulls: 1,
      downloads: 1,
    });

    const idle = await sync(repo, new Date(Date.now() - 60_000));
    // Each call carried the ETag of the previous answer.
    expect(fake.requests.map(r => r.ifNoneMatch)).toEqual([
      expect.stringMatching(/^W\/"/),
      expect.stringMatching(/^W\/"/),
    ]);
    expect(idle.files).toEqual(expected);
    expect(idle.changes).toEqual(first.changes);
    expect(counted()).toEqual({
      total: 2,
      notModified: 2,
      branch: 1,
      trees: 0,
      blobs: 0,
      tarballs: 0,
      pulls: 1,
      downloads: 0,
    });
  });

  it('reads exactly the one changed blob after a commit', async () => {
    const repo = makeRepo();
    await sync(repo);
    counted();
    fake.commitToBranch(OWNER, REPO, 'main', {
      [pathOf(7)]: `${valuesOf(7)}  - name: extra\n`,
    });

    const { files } = await sync(repo, new Date(Date.now() - 60_000));

    expect(files.find(f => f.path === pathOf(7))?.content).toBe(
      `${valuesOf(7)}  - name: extra\n`,
    );
    expect(files).toHaveLength(DEFINITIONS);
    expect(counted()).toMatchObject({
      branch: 1,
      trees: 1,
      blobs: 1,
      // The pull request listing did not change.
      notModified: 1,
    });
  });

  it('a second instance sharing the object cache reads no tree and no blob', async () => {
    const shared = new InMemoryGitObjectCache();
    await sync(makeRepo(shared));
    counted();

    // A restart, or another replica: no remembered responses, a warm cache.
    const { files } = await sync(makeRepo(shared));

    expect(files).toEqual(expected);
    expect(counted()).toEqual({
      total: 2,
      notModified: 0,
      branch: 1,
      trees: 0,
      blobs: 0,
      tarballs: 0,
      pulls: 1,
      downloads: 0,
    });
  });

  it('serves a 304 from the remembered answer, and sees a moved branch at once', async () => {
    const repo = makeRepo();
    await repo.listDefinitionFiles();
    fake.commitToBranch(OWNER, REPO, 'main', { [pathOf(1)]: 'moved: 1\n' });
    const moved = await repo.listDefinitionFiles();
    expect(moved.find(f => f.path === pathOf(1))?.content).toBe('moved: 1\n');
    counted();

    const again = await repo.listDefinitionFiles();

    expect(again).toEqual(moved);
    expect(counted()).toMatchObject({ total: 1, notModified: 1 });
    // The pull request listing: a new pull request changes the page.
    await repo.listChanges();
    const head = suiteBranchName('create', 'team-01', 'new');
    fake.commitToBranch(OWNER, REPO, head, { 'x.txt': 'x' });
    await new Octokit({ baseUrl: fake.apiBaseUrl }).pulls.create({
      owner: OWNER,
      repo: REPO,
      head,
      base: 'main',
      title: 'Create database team-01/new',
    });
    counted();
    const changes = await repo.listChanges({
      updatedSince: new Date(Date.now() - 60_000),
    });
    expect(changes.map(c => c.branchName)).toEqual([head]);
    expect(counted()).toMatchObject({ total: 1, notModified: 0 });
    const unchanged = await repo.listChanges({
      updatedSince: new Date(Date.now() - 60_000),
    });
    expect(unchanged).toEqual(changes);
    expect(counted()).toMatchObject({ total: 1, notModified: 1 });
  });

  it('does not trust a corrupted or foreign cache entry: checks it, reads it again and replaces it', async () => {
    const shared = new InMemoryGitObjectCache();
    await makeRepo(shared).listDefinitionFiles();
    const sha = gitBlobSha(valuesOf(3));
    // A row changed under our feet, and a listing that is not one.
    const head = await new Octokit({
      baseUrl: fake.apiBaseUrl,
    }).repos.getBranch({ owner: OWNER, repo: REPO, branch: 'main' });
    const treeSha = head.data.commit.commit.tree.sha;
    await shared.deleteMany([blobKey(sha), definitionsKey(treeSha, '')]);
    await shared.putMany([
      { key: blobKey(sha), value: 'postgresqlDatabases: [{ name: evil }]\n' },
      {
        key: definitionsKey(treeSha, ''),
        value: JSON.stringify([['../../etc/values.yaml', sha]]),
      },
    ]);
    counted();

    const files = await makeRepo(shared).listDefinitionFiles();

    expect(files).toEqual(expected);
    expect(counted()).toMatchObject({ branch: 1, trees: 1, blobs: 1 });
    const healed = await shared.getMany([blobKey(sha)]);
    expect(healed.get(blobKey(sha))).toBe(valuesOf(3));
    // The next reader finds everything intact.
    await makeRepo(shared).listDefinitionFiles();
    expect(counted()).toMatchObject({ total: 1, trees: 0, blobs: 0 });
  });

  it('reads from GitHub when the cache fails, and logs it', async () => {
    const failing: GitObjectCache = {
      getMany: async () => {
        throw new Error('cache down');
      },
      putMany: async (_: readonly GitObjectCacheEntry[]) => {
        throw new Error('cache down');
      },
      deleteMany: async () => {},
    };
    const logger = mockServices.logger.mock();
    const repo = new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl }),
      owner: OWNER,
      repo: REPO,
      objectCache: failing,
      logger,
    });

    await expect(repo.listDefinitionFiles()).resolves.toEqual(expected);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('cache down'),
    );
  });

  it('still reports a missing base branch', async () => {
    const repo = new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl }),
      owner: OWNER,
      repo: REPO,
      baseBranch: 'nope',
    });
    const error = await repo.listDefinitionFiles().catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      'Branch nope does not exist in the GitHub repository acme/apps',
    );
  });
});
