import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  BillingMonthResponse,
  dbaasBillingReadPermission,
  TenantBillingResponse,
} from '@dbaas/plugin-dbaas-common';
import {
  createDbaasTenantConditionalDecision,
  dbaasTenantConditions,
  initLocalAppsRepository,
} from '@dbaas/plugin-dbaas-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEFAULT_BILLING_SETTINGS } from '../billing/BillingSettings';
import { DatabaseBillingStore } from '../billing/DatabaseBillingStore';
import { microsToCents } from '../billing/money';
import {
  ClusterHourSample,
  sumAmounts,
  TenantCostAllocator,
} from '../billing/TenantCostAllocator';
import { FOCUS_HEADER } from '../billing/focusCsv';
import { parseCsvRecords, seededRandom } from '../billing/testUtils';
import { startPluginWithInventory } from '../__testUtils__/startPluginWithInventory';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const GB = 1024 ** 3;
const MONTH = '2025-01';

/**
 * Five days of January on two clusters: 'eu' holds payments (two
 * databases), checkout and 'ghost' (a namespace no directory knows); 'us'
 * has hours without any database, whose cost stays unallocated.
 */
function history(): ClusterHourSample[] {
  const rnd = seededRandom(11);
  const samples: ClusterHourSample[] = [];
  const start = Date.parse('2025-01-01T00:00:00Z');
  for (let h = 0; h < 5 * 24; h++) {
    const hourStart = new Date(start + h * 3_600_000);
    const proxy = h % 7 === 0;
    const db = (ref: string) => {
      const [namespace, name] = ref.split('/');
      const active = rnd() < 0.3 ? 0 : rnd() * 4000;
      return {
        namespace,
        name,
        sizeBytes: Math.floor(rnd() * 20 * GB),
        snapshotBytes: Math.floor(rnd() * 30 * GB),
        activeSeconds: proxy ? undefined : active,
        commits: proxy ? Math.floor(active) : undefined,
      };
    };
    samples.push({
      cluster: 'eu',
      hourStart,
      acu: 0.5 + Math.round(rnd() * 8) / 2,
      databases: [
        'payments/ledger',
        'payments/audit',
        'checkout/orders',
        'ghost/legacy',
      ].map(db),
    });
    samples.push({
      cluster: 'us',
      hourStart,
      acu: 1,
      databases: h < 48 ? [] : [db('checkout/orders')],
    });
  }
  return samples;
}

describe('billing routes', () => {
  let appsRepoPath: string;

  beforeAll(async () => {
    appsRepoPath = await mkdtemp(join(tmpdir(), 'dbaas-billing-'));
    await initLocalAppsRepository({ path: appsRepoPath, files: [] });
  });

  afterAll(() => rm(appsRepoPath, { recursive: true, force: true }));

  const samples = history();
  const allocator = new TenantCostAllocator(DEFAULT_BILLING_SETTINGS);
  const hours = samples.map(s => allocator.allocateHour(s));

  async function start(decide: (permissionName: string) => PolicyDecision) {
    const { server, knex } = await startPluginWithInventory({
      databases,
      appsRepoPath,
      decide,
    });
    const store = new DatabaseBillingStore(knex);
    for (const hour of hours) await store.writeHour(hour, { final: true });
    const get = (path: string) =>
      request(server)
        .get(`/api/dbaas${path}`)
        .set('authorization', mockCredentials.user.header());
    return { get };
  }

  const ownerOfPayments = (name: string): PolicyDecision =>
    name === dbaasBillingReadPermission.name
      ? createDbaasTenantConditionalDecision(
          dbaasBillingReadPermission,
          dbaasTenantConditions.isTenantOwner({
            claims: ['group:default/payments'],
          }),
        )
      : { result: AuthorizeResult.ALLOW };

  /** CSV lines as objects; amounts back in cents. */
  function parseCsv(text: string) {
    return parseCsvRecords(text).records.map(row => ({
      tenant: row.tenant,
      cents: Math.round(Number(row.total) * 100),
    }));
  }

  /** FOCUS rows: tenant, sub account, billed cost in cents. */
  function parseFocus(text: string) {
    const { header, records } = parseCsvRecords(text);
    expect(header).toEqual(FOCUS_HEADER);
    return records.map(row => ({
      tenant: row.x_Tenant,
      subAccount: row.SubAccountId,
      resource: row.ResourceId,
      component: row.x_CostComponent,
      cents: Math.round(Number(row.BilledCost) * 100),
    }));
  }

  describe('for a caller allowed every tenant', () => {
    let get: (path: string) => request.Test;
    beforeAll(async () => {
      ({ get } = await start(() => ({ result: AuthorizeResult.ALLOW })));
    });

    it('adds up to the cent: tenants, clusters, days and the hours priced', async () => {
      const res = await get(`/billing?month=${MONTH}`);
      expect(res.status).toBe(200);
      const body: BillingMonthResponse = res.body;
      expect(body).toMatchObject({
        month: MONTH,
        currency: 'USD',
        status: 'past',
        hoursInMonth: 744,
        settings: {
          currency: 'USD',
          prices: DEFAULT_BILLING_SETTINGS.prices,
          idleCapacity: 'proportional',
          baseFee: 'even',
        },
      });
      expect(body.tenants.map(t => t.namespace)).toEqual([
        'checkout',
        'ghost',
        'payments',
      ]);
      const payments = body.tenants.find(t => t.namespace === 'payments')!;
      expect(payments).toMatchObject({
        owners: ['group:default/payments'],
        databaseCount: 2,
      });
      expect(body.tenants.find(t => t.namespace === 'ghost')!.owners).toEqual(
        [],
      );

      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const tenantsTotal = sum(body.tenants.map(t => t.cents.total));
      const clusters = body.clusters!;
      expect(clusters.map(c => c.cluster)).toEqual(['eu', 'us']);
      expect(tenantsTotal).toBe(body.totalCents);
      expect(tenantsTotal).toBe(sum(clusters.map(c => c.allocatedCents)));
      expect(sum(body.days.map(d => d.cents.total))).toBe(body.totalCents);
      expect(body.days).toHaveLength(5);
      for (const t of body.tenants) {
        const c = t.cents;
        expect(c.compute).toBe(c.computeUsed + c.computeIdle);
        expect(c.total).toBe(c.compute + c.storage + c.snapshots + c.base);
        expect(t.forecastCents).toBe(c.total);
      }
      // Each cluster's total is its hours' cost rounded once, to the cent.
      for (const c of clusters) {
        const micros = sum(
          hours
            .filter(h => h.cluster === c.cluster)
            .map(h => sumAmounts(h.micros)),
        );
        expect(c.totalCents).toBe(microsToCents(micros));
        expect(c.allocatedCents + c.unallocatedCents).toBe(c.totalCents);
        expect(c.hours).toBe(120);
      }
      const us = clusters.find(c => c.cluster === 'us')!;
      expect(us.unallocatedCents).toBeGreaterThan(0);
    });

    it("gives a tenant's month per database, day and line, matching the overview", async () => {
      const overview: BillingMonthResponse = (
        await get(`/billing?month=${MONTH}`)
      ).body;
      const res = await get(`/billing/payments?month=${MONTH}`);
      expect(res.status).toBe(200);
      const body: TenantBillingResponse = res.body;
      const summary = overview.tenants.find(t => t.namespace === 'payments')!;
      expect(body.cents).toEqual(summary.cents);
      expect(body.owners).toEqual(['group:default/payments']);
      expect(body.databases.map(d => [d.name, d.clusters])).toEqual([
        ['audit', ['eu']],
        ['ledger', ['eu']],
      ]);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(sum(body.databases.map(d => d.cents.total))).toBe(
        body.cents.total,
      );
      expect(sum(body.days.map(d => d.cents.total))).toBe(body.cents.total);
      expect(sum(body.lines.map(l => l.cents.total))).toBe(body.cents.total);
      expect(body.lines).toHaveLength(10);
      expect(body.databases[0].usage.hours).toBe(120);
    });

    it('exports the month as CSV, every line adding up to the totals', async () => {
      const overview: BillingMonthResponse = (
        await get(`/billing?month=${MONTH}`)
      ).body;
      const res = await get(`/billing/export.csv?month=${MONTH}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="dbaas-billing-2025-01.csv"',
      );
      expect(res.text.split('\r\n')[0]).toBe(
        'tenant,database,day,compute,storage,snapshots,base,total,currency,compute_used,compute_idle',
      );
      const rows = parseCsv(res.text);
      expect(rows.reduce((a, r) => a + r.cents, 0)).toBe(overview.totalCents);

      const one = await get(
        `/billing/export.csv?month=${MONTH}&namespace=checkout`,
      );
      expect(one.headers['content-disposition']).toBe(
        'attachment; filename="dbaas-billing-2025-01-checkout.csv"',
      );
      const checkout = parseCsv(one.text);
      expect(new Set(checkout.map(r => r.tenant))).toEqual(
        new Set(['checkout']),
      );
      expect(checkout.reduce((a, r) => a + r.cents, 0)).toBe(
        overview.tenants.find(t => t.namespace === 'checkout')!.cents.total,
      );
    });

    it('exports the month in FOCUS columns, adding up to the same totals', async () => {
      const overview: BillingMonthResponse = (
        await get(`/billing?month=${MONTH}`)
      ).body;
      const res = await get(`/billing/export.csv?month=${MONTH}&format=focus`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="dbaas-billing-2025-01-focus.csv"',
      );
      const rows = parseFocus(res.text);
      const sum = (xs: { cents: number }[]) =>
        xs.reduce((a, r) => a + r.cents, 0);
      expect(sum(rows)).toBe(overview.totalCents);
      for (const tenant of overview.tenants) {
        const own = rows.filter(r => r.tenant === tenant.namespace);
        expect(sum(own)).toBe(tenant.cents.total);
        expect(sum(own.filter(r => r.component === 'compute'))).toBe(
          tenant.cents.compute,
        );
      }
      expect(rows.every(r => r.subAccount === r.tenant)).toBe(true);
      expect(new Set(rows.map(r => r.resource))).toEqual(
        new Set([
          'resource:default/checkout-orders',
          'resource:default/ghost-legacy',
          'resource:default/payments-audit',
          'resource:default/payments-ledger',
        ]),
      );

      const one = await get(
        `/billing/export.csv?month=${MONTH}&namespace=checkout&format=focus`,
      );
      expect(one.headers['content-disposition']).toBe(
        'attachment; filename="dbaas-billing-2025-01-checkout-focus.csv"',
      );
      const checkout = parseFocus(one.text);
      expect(new Set(checkout.map(r => r.tenant))).toEqual(
        new Set(['checkout']),
      );
      expect(sum(checkout)).toBe(
        overview.tenants.find(t => t.namespace === 'checkout')!.cents.total,
      );
      // The default format is dbaas's own, also when asked by name.
      const own = await get(`/billing/export.csv?month=${MONTH}&format=dbaas`);
      expect(own.text).toBe(
        (await get(`/billing/export.csv?month=${MONTH}`)).text,
      );
    });

    it('answers 404 for a namespace nobody knows, zeros for a known tenant without costs', async () => {
      const unknown = await get(`/billing/nobody?month=${MONTH}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
      expect((await get(`/billing/ghost?month=2024-12`)).status).toBe(404);
      const empty = await get(`/billing/payments?month=2024-12`);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({
        namespace: 'payments',
        cents: { total: 0 },
        forecastCents: 0,
        databases: [],
        days: [],
        lines: [],
      });
    });

    it('refuses a bad month or namespace with 400, and defaults to the current month', async () => {
      for (const path of [
        '/billing?month=2025-13',
        '/billing?month=2025-1',
        "/billing/payments?month=2025-01'",
        '/billing/export.csv?month=x',
        '/billing/export.csv?format=xlsx',
        '/billing/export.csv?format=FOCUS',
        '/billing/Payments',
      ]) {
        const res = await get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
      }
      const format = await get('/billing/export.csv?format=xlsx');
      expect(format.body.error.message).toMatch(/format/);
      expect(format.body.error.message).toMatch(/allowed values|dbaas/);
      const current = await get('/billing');
      expect(current.status).toBe(200);
      expect(current.body.month).toBe(new Date().toISOString().slice(0, 7));
      expect(current.body.status).toBe('current');
    });
  });

  it('shows nothing and refuses a tenant with 403 when billing is denied', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.DENY }));
    const overview = await get(`/billing?month=${MONTH}`);
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      tenants: [],
      days: [],
      totalCents: 0,
    });
    expect(overview.body.clusters).toBeUndefined();
    for (const path of [
      `/billing/payments?month=${MONTH}`,
      `/billing/export.csv?month=${MONTH}&namespace=payments`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message: 'You may not read the billing of payments',
      });
    }
    const csv = await get(`/billing/export.csv?month=${MONTH}`);
    expect(csv.text).toBe(
      'tenant,database,day,compute,storage,snapshots,base,total,currency,compute_used,compute_idle\r\n',
    );
    const focus = await get(`/billing/export.csv?month=${MONTH}&format=focus`);
    expect(focus.status).toBe(200);
    expect(focus.text).toBe(`${FOCUS_HEADER.join(',')}\r\n`);
    const focusOne = await get(
      `/billing/export.csv?month=${MONTH}&namespace=payments&format=focus`,
    );
    expect(focusOne.status).toBe(403);
  });

  it("lists only the caller's tenants, without cluster totals, under a conditional decision", async () => {
    const { get } = await start(ownerOfPayments);
    const overview = await get(`/billing?month=${MONTH}`);
    expect(overview.body.tenants.map((t: any) => t.namespace)).toEqual([
      'payments',
    ]);
    expect(overview.body.clusters).toBeUndefined();
    expect(overview.body.totalCents).toBe(overview.body.tenants[0].cents.total);
    expect((await get(`/billing/payments?month=${MONTH}`)).status).toBe(200);
    expect((await get(`/billing/checkout?month=${MONTH}`)).status).toBe(403);
    expect((await get(`/billing/ghost?month=${MONTH}`)).status).toBe(403);
    const csv = parseCsv(
      (await get(`/billing/export.csv?month=${MONTH}`)).text,
    );
    expect(new Set(csv.map(r => r.tenant))).toEqual(new Set(['payments']));
    // FOCUS: no row of another tenant, by any column naming it.
    const focus = await get(`/billing/export.csv?month=${MONTH}&format=focus`);
    expect(focus.status).toBe(200);
    const rows = parseFocus(focus.text);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map(r => r.tenant))).toEqual(new Set(['payments']));
    expect(new Set(rows.map(r => r.subAccount))).toEqual(new Set(['payments']));
    for (const other of ['checkout', 'ghost']) {
      expect(focus.text).not.toContain(other);
    }
    expect(rows.reduce((a, r) => a + r.cents, 0)).toBe(
      overview.body.tenants[0].cents.total,
    );
    expect(
      (
        await get(
          `/billing/export.csv?month=${MONTH}&namespace=checkout&format=focus`,
        )
      ).status,
    ).toBe(403);
  });
});
