import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createDbaasDatabaseConditionalDecision,
  dbaasDatabaseConditions,
  initLocalAppsRepository,
} from '@dbaas/plugin-dbaas-node';
import {
  dbaasDatabaseReadPermission,
  DatabaseMetricsResponse,
} from '@dbaas/plugin-dbaas-common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { clusterSample, dbSample } from '../metrics/testUtils';
import { startPluginWithInventory } from '../__testUtils__/startPluginWithInventory';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('GET /databases/:namespace/:name/metrics', () => {
  let appsRepoPath: string;

  beforeAll(async () => {
    appsRepoPath = await mkdtemp(join(tmpdir(), 'dbaas-metrics-'));
    await initLocalAppsRepository({ path: appsRepoPath, files: [] });
  });

  afterAll(() => rm(appsRepoPath, { recursive: true, force: true }));

  async function start(decide: () => PolicyDecision) {
    const { server, knex } = await startPluginWithInventory({
      databases,
      appsRepoPath,
      decide,
    });
    const now = Date.now();
    const first = new Date(now - 10 * 60_000);
    const second = new Date(now - 9 * 60_000);
    const metrics = new DatabaseMetricsStore(knex);
    await metrics.recordSamples(
      'eu',
      clusterSample('eu', first, [
        dbSample('payments-ledger', first, { xact_commit: 100 }),
      ]),
    );
    await metrics.recordSamples(
      'eu',
      clusterSample('eu', second, [
        dbSample('payments-ledger', second, {
          xact_commit: 220,
          blks_hit: 90,
          blks_read: 10,
          sizeBytes: 4096,
          connections: 5,
        }),
      ]),
    );
    const get = (path: string) =>
      request(server)
        .get(`/api/dbaas${path}`)
        .set('authorization', mockCredentials.user.header());
    return { get, first, second };
  }

  it('refuses with 403 when reading the database is denied', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.DENY }));
    const res = await get('/databases/payments/ledger/metrics');
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'You may not see payments/ledger',
    });
  });

  it('serves the last 24 hours of raw points to those who may read', async () => {
    const { get, first, second } = await start(() =>
      createDbaasDatabaseConditionalDecision(
        dbaasDatabaseReadPermission,
        dbaasDatabaseConditions.isTenantOwner({
          claims: ['group:default/payments'],
        }),
      ),
    );
    const res = await get('/databases/payments/ledger/metrics');
    expect(res.status).toBe(200);
    const body: DatabaseMetricsResponse = res.body;
    expect(body.resolution).toBe('raw');
    expect(body.maxConnections).toBe(100);
    expect(new Date(body.to).getTime() - new Date(body.from).getTime()).toBe(
      24 * 3_600_000,
    );
    expect(body.points).toEqual([
      { at: first.toISOString(), sizeBytes: 1000, connections: 2, samples: 1 },
      expect.objectContaining({
        at: second.toISOString(),
        sizeBytes: 4096,
        connections: 5,
        commitsPerSecond: 2,
        cacheHitRatio: 0.9,
        samples: 1,
      }),
    ]);

    const narrow = await get(
      `/databases/payments/ledger/metrics?from=${encodeURIComponent(
        new Date(second.getTime() - 1000).toISOString(),
      )}&to=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(narrow.status).toBe(200);
    expect(narrow.body.points).toHaveLength(1);

    expect((await get('/databases/checkout/orders/metrics')).status).toBe(403);
  });

  it('answers 400 for bad dates and 404 for a database not in the inventory', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.ALLOW }));
    const bad = await get('/databases/payments/ledger/metrics?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/'from' must be an ISO 8601/);
    const reversed = await get(
      `/databases/payments/ledger/metrics?from=${encodeURIComponent(
        '2026-11-23T10:00:00Z',
      )}&to=${encodeURIComponent('2026-11-22T10:00:00Z')}`,
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toMatch(/must not be after/);
    const missing = await get('/databases/payments/nothing/metrics');
    expect(missing.status).toBe(404);
    const empty = await get('/databases/checkout/orders/metrics');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ resolution: 'raw', points: [] });
    expect(empty.body.maxConnections).toBeUndefined();
  });
});
