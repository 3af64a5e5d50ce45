import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GitHubAppsRepository,
  suiteBranchName,
} from '@dbaas/plugin-dbaas-node';
import {
  FakeGitHub,
  seedDefinitions,
  seededDefinitionPath as pathOf,
  seededDefinitionValues as valuesOf,
  takeGitHubCallCounts,
} from '@dbaas/plugin-dbaas-node/testUtils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import { InventorySync } from '../inventory/InventorySync';
import { DatabaseGitObjectCache } from './DatabaseGitObjectCache';

jest.setTimeout(120_000);

// Only PostgreSQL, as in production (SQLite does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const OWNER = 'acme';
const REPO = 'apps';
const DEFINITIONS = 200;
const TABLE = 'dbaas_git_object_cache';

/**
 * The GitHub cost of the inventory sync (the real InventorySync, the real
 * GitHubAppsRepository with the PostgreSQL object cache) against the fake
 * GitHub, with 200 definitions and three open pull requests of the suite.
 */
describe('GitHub calls of the inventory sync', () => {
  let knex: Knex;
  let fake: FakeGitHub;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex(TABLE).delete();
    await knex('dbaas_database_status_history').delete();
    await knex('dbaas_databases').delete();
    fake = await FakeGitHub.start();
    seedDefinitions(fake, { owner: OWNER, repo: REPO, count: DEFINITIONS });
  });

  afterEach(() => fake.stop());

  /** A replica (or a restart): its own repository instance on the shared cache. */
  function replica() {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      integrations: {
        github: [
          { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 'test' },
        ],
      },
    });
    const appsRepo = GitHubAppsRepository.fromConfig(config, {
      repoUrl: `https://github.com/${OWNER}/${REPO}`,
      objectCache: new DatabaseGitObjectCache(knex, { logger }),
      logger,
      retry: { sleep: async () => {} },
    });
    const sync = new InventorySync({
      store: new DatabaseInventoryStore(knex),
      appsRepo,
      basePath: '',
      clusters: [],
      tenants: { listTenants: async () => [] },
      logger,
    });
    return { appsRepo, sync, logger };
  }

  /** GitHub calls since the last look, by kind. */
  const counted = () => takeGitHubCallCounts(fake, OWNER, REPO);

  /** Three open pull requests of the suite, made as the suite would. */
  async function openSuitePulls() {
    for (const name of ['one', 'two', 'three']) {
      const head = suiteBranchName('create', 'team-01', name);
      fake.commitToBranch(OWNER, REPO, head, {
        [`team-01/${name}/values.yaml`]: `postgresqlDatabases:\n  - name: ${name}\n`,
      });
      const response = await fetch(
        `${fake.apiBaseUrl}/repos/${OWNER}/${REPO}/pulls`,
        {
          method: 'POST',
          body: JSON.stringify({
            head,
            base: 'main',
            title: `Create database team-01/${name}`,
          }),
        },
      );
      expect(response.status).toBe(201);
    }
  }

  it('costs 4 calls cold (the archive, not 200 blobs), 2 when idle, 2 after a restart on the warm cache, and one blob per changed file', async () => {
    const first = replica();
    await openSuitePulls();
    counted();

    await first.sync.runOnce();
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
    expect(await knex(TABLE).count({ n: '*' })).toEqual([
      { n: String(DEFINITIONS + 1) },
    ]);

    // Idle: nothing changed.
    await first.sync.runOnce();
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

    // A restart, or a new replica: the cache in PostgreSQL is warm.
    const restarted = replica();
    const result = await restarted.sync.runOnce();
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
    // It saw all 200 definitions and the three pull requests.
    expect(await knex('dbaas_databases').count({ n: '*' })).toEqual([
      { n: String(DEFINITIONS + 3) },
    ]);
    expect(result.problems).not.toContainEqual(expect.stringMatching(/cache/i));

    // One definition changes: its blob, the new tree, nothing else.
    fake.commitToBranch(OWNER, REPO, 'main', {
      [pathOf(42)]: `${valuesOf(42)}  - name: more\n`,
    });
    await restarted.sync.runOnce();
    expect(counted()).toMatchObject({ branch: 1, trees: 1, blobs: 1 });
    expect(
      await knex('dbaas_databases').where({
        namespace: 'team-02',
        name: 'more',
      }),
    ).toHaveLength(1);
  });

  it('lets two replicas starting cold at once fill the shared cache without an error', async () => {
    const [a, b] = [replica(), replica()];

    const [filesA, filesB] = await Promise.all([
      a.appsRepo.listDefinitionFiles(),
      b.appsRepo.listDefinitionFiles(),
    ]);

    expect(filesA).toHaveLength(DEFINITIONS);
    expect(filesB).toEqual(filesA);
    expect(await knex(TABLE).count({ n: '*' })).toEqual([
      { n: String(DEFINITIONS + 1) },
    ]);
    expect(a.logger.warn).not.toHaveBeenCalled();
    expect(b.logger.warn).not.toHaveBeenCalled();
  });

  it('does not trust a corrupted row: reads that blob again and repairs the row', async () => {
    await replica().appsRepo.listDefinitionFiles();
    const [row] = await knex(TABLE).where('value', valuesOf(5)).select('key');
    await knex(TABLE)
      .where({ key: row.key })
      .update({ value: 'postgresqlDatabases:\n  - name: planted\n' });
    counted();

    const next = replica();
    const files = await next.appsRepo.listDefinitionFiles();

    expect(files.find(f => f.path === pathOf(5))?.content).toBe(valuesOf(5));
    expect(counted()).toMatchObject({ branch: 1, trees: 0, blobs: 1 });
    expect(next.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('wrong entries'),
    );
    expect(await knex(TABLE).where({ key: row.key }).first('value')).toEqual({
      value: valuesOf(5),
    });
  });
});
