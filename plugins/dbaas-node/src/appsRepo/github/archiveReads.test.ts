import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Octokit } from '@octokit/rest';
import {
  FakeGitHub,
  seedDefinitions,
  seededDefinitionPath as pathOf,
  seededDefinitionValues as valuesOf,
  takeGitHubCallCounts,
} from '../../testUtils';
import { GitHubAppsRepository } from './GitHubAppsRepository';
import { GitObjectCache, blobKey } from './GitObjectCache';
import { InMemoryGitObjectCache } from './InMemoryGitObjectCache';
import { gitBlobSha } from './revision';

const OWNER = 'acme';
const REPO = 'apps';
const DEFINITIONS = 200;

/**
 * The first listing with nothing cached reads the `values.yaml` files from
 * the commit's archive (one API call) instead of one blob each, checks each
 * against its blob sha and reads by blob what does not match.
 */
describe('GitHubAppsRepository: definitions from the archive', () => {
  let fake: FakeGitHub;
  let expected: { path: string; content: string }[];

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    expected = seedDefinitions(fake, {
      owner: OWNER,
      repo: REPO,
      count: DEFINITIONS,
      // Not definitions: in the archive, never kept.
      extraFiles: i => ({
        'docs/guide.md': 'x'.repeat(50_000),
        [pathOf(i).replace('values.yaml', 'application.yaml')]: `app: ${i}\n`,
      }),
    });
  });

  afterEach(() => fake.stop());

  function makeRepo(
    options: { objectCache?: GitObjectCache; archiveThreshold?: number } = {},
  ) {
    const logger = mockServices.logger.mock();
    const repo = new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'secret-token' }),
      owner: OWNER,
      repo: REPO,
      logger,
      retry: { sleep: async () => {} },
      ...options,
    });
    return { repo, logger };
  }

  /** REST calls since the last look, by kind; downloads apart. */
  const counted = () => takeGitHubCallCounts(fake, OWNER, REPO);

  async function sync(repo: GitHubAppsRepository) {
    const [files] = await Promise.all([
      repo.listDefinitionFiles(),
      repo.listChanges(),
    ]);
    return files;
  }

  it('reads 200 uncached definitions with 4 API calls and one download without the token, and fills the cache', async () => {
    const cache = new InMemoryGitObjectCache();
    const { repo, logger } = makeRepo({ objectCache: cache });

    const files = await sync(repo);

    expect(files).toEqual(expected);
    // The archive of the commit listed, by sha; the token stayed with the
    // API call, the download went without it.
    const head = fake.branchSha(OWNER, REPO, 'main')!;
    expect(fake.requests.find(r => r.path.includes('/tarball/'))).toEqual(
      expect.objectContaining({
        path: `/repos/acme/apps/tarball/${head}`,
        authorization: 'token secret-token',
        status: 302,
      }),
    );
    expect(fake.downloads).toEqual([
      expect.objectContaining({
        path: `/_codeload/acme/apps/legacy.tar.gz/${head}`,
        status: 200,
        authorization: undefined,
      }),
    ]);
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
    expect(logger.warn).not.toHaveBeenCalled();
    const cached = await cache.getMany(
      expected.map(f => blobKey(gitBlobSha(f.content))),
    );
    expect(cached.size).toBe(DEFINITIONS);

    // Another replica (or a restart) on that cache: branch and pull requests.
    await sync(makeRepo({ objectCache: cache }).repo);
    expect(counted()).toMatchObject({
      total: 2,
      branch: 1,
      pulls: 1,
      trees: 0,
      blobs: 0,
      tarballs: 0,
      downloads: 0,
    });
  });

  it('detects a tampered file by its blob sha and reads that one by blob; a file left out likewise', async () => {
    fake.tamperArchiveNext({
      owner: OWNER,
      repo: REPO,
      path: pathOf(17),
      content: 'postgresqlDatabases:\n  - name: planted\n',
    });
    fake.tamperArchiveNext({
      owner: OWNER,
      repo: REPO,
      path: pathOf(42),
      content: null,
    });
    const cache = new InMemoryGitObjectCache();
    const { repo, logger } = makeRepo({ objectCache: cache });

    const files = await repo.listDefinitionFiles();

    expect(files).toEqual(expected);
    const blobPaths = fake.requests
      .filter(r => r.path.includes('/git/blobs/'))
      .map(r => r.path.split('/').pop());
    expect(blobPaths.sort()).toEqual(
      [gitBlobSha(valuesOf(17)), gitBlobSha(valuesOf(42))].sort(),
    );
    expect(counted()).toMatchObject({ trees: 1, tarballs: 1, blobs: 2 });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^2 of 200 files were not in the archive of acme\/apps@[0-9a-f]{7} as their blob \(team-07\/app-017\/values\.yaml, team-02\/app-042\/values\.yaml\); reading them by blob$/,
      ),
    );
    const planted = await cache.getMany([
      blobKey(gitBlobSha('postgresqlDatabases:\n  - name: planted\n')),
      blobKey(gitBlobSha(valuesOf(17))),
    ]);
    expect([...planted.values()]).toEqual([valuesOf(17)]);
  });

  it('reads by blob below the threshold: a few changed files after a merge', async () => {
    const cache = new InMemoryGitObjectCache();
    await makeRepo({ objectCache: cache }).repo.listDefinitionFiles();
    const changed: Record<string, string> = {};
    for (let i = 0; i < 50; i++) changed[pathOf(i)] = `${valuesOf(i)}# v2\n`;
    fake.commitToBranch(OWNER, REPO, 'main', changed);
    counted();

    const files = await makeRepo({
      objectCache: cache,
    }).repo.listDefinitionFiles();

    expect(files.find(f => f.path === pathOf(3))?.content).toBe(
      `${valuesOf(3)}# v2\n`,
    );
    // 50 missing is not more than the default threshold of 50.
    expect(counted()).toMatchObject({ blobs: 50, tarballs: 0, downloads: 0 });

    // 51 is.
    const more: Record<string, string> = {};
    for (let i = 0; i < 51; i++) more[pathOf(i)] = `${valuesOf(i)}# v3\n`;
    fake.commitToBranch(OWNER, REPO, 'main', more);
    await makeRepo({ objectCache: cache }).repo.listDefinitionFiles();
    expect(counted()).toMatchObject({ blobs: 0, tarballs: 1, downloads: 1 });
  });

  it('follows the configured threshold: Infinity never uses the archive, 0 always does', async () => {
    await makeRepo({ archiveThreshold: Infinity }).repo.listDefinitionFiles();
    expect(counted()).toMatchObject({
      blobs: DEFINITIONS,
      tarballs: 0,
      downloads: 0,
    });

    const cache = new InMemoryGitObjectCache();
    await makeRepo({
      objectCache: cache,
      archiveThreshold: Infinity,
    }).repo.listDefinitionFiles();
    fake.commitToBranch(OWNER, REPO, 'main', { [pathOf(1)]: 'changed: 1\n' });
    counted();
    await makeRepo({
      objectCache: cache,
      archiveThreshold: 0,
    }).repo.listDefinitionFiles();
    expect(counted()).toMatchObject({ blobs: 0, tarballs: 1, downloads: 1 });

    expect(() => makeRepo({ archiveThreshold: -1 })).toThrow(
      'archiveThreshold (dbaas.gitops.archiveThreshold) must be a number of files, 0 or more; got -1',
    );
  });

  it('reads dbaas.gitops.archiveThreshold, and stops startup on a bad one', async () => {
    const config = (archiveThreshold: number | string) =>
      new ConfigReader({
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 't' },
          ],
        },
        dbaas: {
          gitops: {
            repoUrl: `https://github.com/${OWNER}/${REPO}`,
            archiveThreshold,
          },
        },
      });
    const repo = GitHubAppsRepository.fromConfig(config(DEFINITIONS));
    await expect(repo.listDefinitionFiles()).resolves.toEqual(expected);
    expect(counted()).toMatchObject({ blobs: DEFINITIONS, tarballs: 0 });

    expect(() => GitHubAppsRepository.fromConfig(config(-5))).toThrow(
      'archiveThreshold (dbaas.gitops.archiveThreshold) must be a number of files, 0 or more; got -5',
    );
    expect(() => GitHubAppsRepository.fromConfig(config('many'))).toThrow(
      /archiveThreshold/,
    );
  });

  it('tries the download again once, then reads by blob', async () => {
    fake.failNext({ pathPattern: '/_codeload/', status: 503 });
    const once = makeRepo();
    await expect(once.repo.listDefinitionFiles()).resolves.toEqual(expected);
    expect(counted()).toMatchObject({ tarballs: 2, downloads: 2, blobs: 0 });
    expect(once.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not read the archive of acme\/apps@[0-9a-f]{7} \(attempt 1 of 2, 200 files still wanted\): the download answered 503; trying again$/,
      ),
    );

    fake.failNext({ pathPattern: '/_codeload/', status: 503 });
    fake.resetConnectionNext({ pathPattern: '/_codeload/' });
    const twice = makeRepo();
    await expect(twice.repo.listDefinitionFiles()).resolves.toEqual(expected);
    expect(counted()).toMatchObject({
      tarballs: 2,
      downloads: 2,
      blobs: DEFINITIONS,
    });
    expect(twice.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('(attempt 2 of 2, 200 files still wanted)'),
    );
  });

  it('reads by blob when GitHub refuses the archive call', async () => {
    fake.failNext({ pathPattern: '/tarball/', status: 404 });
    const { repo, logger } = makeRepo();
    fake.failNext({ pathPattern: '/tarball/', status: 404 });

    await expect(repo.listDefinitionFiles()).resolves.toEqual(expected);

    expect(counted()).toMatchObject({
      tarballs: 2,
      downloads: 0,
      blobs: DEFINITIONS,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('reading them by blob'),
    );
  });
});
