/*
 * Run from plugins/dbaas-backend (with a PostgreSQL URL, as scripts/bench.sh does):
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=... CI=true \
 *     npx backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/entityTabApi.bench.ts'
 *
 * QUALITY speed goal: `GET /databases` with 5,000 databases, and the calls
 * the Database tab makes (detail, connection, metrics), answer with p95 <
 * 100 ms on loopback. The plugin runs on a real PostgreSQL with 5,000
 * databases of 500 tenants in its inventory; requests go over HTTP
 * (supertest), one at a time, after a warm-up.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { initLocalAppsRepository } from '@dbaas/plugin-dbaas-node';
import { DatabaseInventoryStore } from '../src/database/DatabaseInventoryStore';
import { startPluginWithInventory } from '../src/__testUtils__/startPluginWithInventory';

const DATABASES = Number(process.env.DBAAS_BENCH_INVENTORY ?? 5000);
const TENANTS = 500;
const ROUNDS = 200;

jest.setTimeout(600_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

describe('entity tab API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  const repoDir = mkdtempSync(join(tmpdir(), 'dbaas-bench-repo-'));

  afterAll(() => rmSync(repoDir, { recursive: true, force: true }));

  it(`answers with ${DATABASES} databases in the inventory`, async () => {
    await initLocalAppsRepository({ path: repoDir, files: [] });
    const { server, knex } = await startPluginWithInventory({
      databases,
      appsRepoPath: repoDir,
      decide: () => ({ result: AuthorizeResult.ALLOW }),
    });
    const store = new DatabaseInventoryStore(knex);
    const updates = Array.from({ length: DATABASES }, (_, i) => {
      const namespace = `tenant-${String(i % TENANTS).padStart(3, '0')}`;
      const name = `db-${String(i).padStart(4, '0')}`;
      return {
        namespace,
        name,
        databaseName: `${namespace}-${name}`,
        mode: 'standard' as const,
        status: 'ready' as const,
        cluster: 'eu',
        pullRequests: [],
      };
    });
    for (let i = 0; i < updates.length; i += 500) {
      await store.applyUpdates(updates.slice(i, i + 500));
    }

    const calls: Record<string, string> = {
      'GET /databases': '/api/dbaas/databases',
      'GET /databases?namespace=': '/api/dbaas/databases?namespace=tenant-042',
      'GET /databases/:ns/:name': '/api/dbaas/databases/tenant-042/db-0042',
      'GET .../connection':
        '/api/dbaas/databases/tenant-042/db-0042/connection',
      'GET .../metrics': '/api/dbaas/databases/tenant-042/db-0042/metrics',
    };
    const lines: string[] = [];
    for (const [label, path] of Object.entries(calls)) {
      const get = () =>
        request(server)
          .get(path)
          .set('authorization', mockCredentials.user.header());
      for (let i = 0; i < 10; i++) {
        expect((await get()).status).toBe(200);
      }
      const times: number[] = [];
      let items = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const start = performance.now();
        const response = await get();
        times.push(performance.now() - start);
        expect(response.status).toBe(200);
        items = response.body.items?.length ?? 1;
      }
      times.sort((a, b) => a - b);
      lines.push(
        `${label.padEnd(28)} ${String(items).padStart(
          5,
        )} items  p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(
          times,
          0.95,
        ).toFixed(1)} ms  max ${times[times.length - 1].toFixed(1)} ms`,
      );
    }
    // eslint-disable-next-line no-console
    console.log(
      `Entity tab API, ${DATABASES} databases, ${ROUNDS} sequential requests each (goal: p95 < 100 ms)\n${lines.join(
        '\n',
      )}`,
    );
  });
});
