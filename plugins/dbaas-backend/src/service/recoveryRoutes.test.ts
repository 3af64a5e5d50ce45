import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ownerOfPayments,
  usePluginWithInventory,
} from '../__testUtils__/startPluginWithInventory';
import { RecoveryStatusStore } from '../objectives/RecoveryStatusStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const HOUR = 3_600_000;

describe('GET /databases/:namespace/:name/recovery and the listing', () => {
  const start = usePluginWithInventory(databases, 'dbaas-recovery-routes-');

  it('is decided like reading the database: 403 for another tenant, the same for a denial', async () => {
    const { get } = await start(() => ownerOfPayments);
    const theirs = await get('/databases/checkout/orders/recovery');
    expect(theirs.status).toBe(403);
    expect(theirs.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'You may not see checkout/orders',
    });
    expect((await get('/databases/payments/ledger/recovery')).status).toBe(200);
    const denied = await start(() => ({ result: AuthorizeResult.DENY }));
    expect(
      (await denied.get('/databases/payments/ledger/recovery')).status,
    ).toBe(403);
  });

  it('answers 400 naming the rule for a malformed name, 404 for an unknown one', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.ALLOW }));
    const malformed = await get('/databases/payments/Led_ger/recovery');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain(
      "may only contain lowercase letters, digits and '-'",
    );
    const unknown = await get('/databases/payments/nothing/recovery');
    expect(unknown.status).toBe(404);
  });

  it('shows the objectives before and after an evaluation, in the listing too', async () => {
    const { get, knex } = await start(() => ({
      result: AuthorizeResult.ALLOW,
    }));
    const before = await get('/databases/payments/ledger/recovery');
    expect(before.body).toEqual({
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      cluster: 'eu',
      environment: 'production',
      mode: 'standard',
      rpo: {
        targetSeconds: 25 * 3600,
        status: 'unknown',
        reason: 'not evaluated yet',
      },
      rto: {
        targetSeconds: 4 * 3600,
        status: 'unknown',
        reason: 'not evaluated yet',
      },
      drills: [],
      drillsUnavailable:
        "cluster 'eu' is an Aurora cluster: drills of cluster snapshots need a temporary cluster and are not run",
    });

    const now = Date.now();
    await new RecoveryStatusStore(knex).save([
      {
        namespace: 'payments',
        name: 'ledger',
        databaseName: 'payments-ledger',
        cluster: 'eu',
        recoveryPointAt: new Date(now - 30 * HOUR),
        recoveryPointSource: 'restorable-time',
        exposedSince: new Date(now - 100 * HOUR),
        rtoEstimateMs: 20 * 60_000,
        rtoBasis: {
          scope: 'database',
          runs: 1,
          newestRunAt: new Date(now - HOUR).toISOString(),
          method: '90th percentile of 1 restore of this database',
        },
        evaluatedAt: new Date(now),
        rpo: 'missed',
      },
    ]);
    const after = await get('/databases/payments/ledger/recovery');
    expect(after.status).toBe(200);
    expect(after.body.rpo).toMatchObject({
      status: 'missed',
      source: 'restorable-time',
      targetSeconds: 25 * 3600,
    });
    expect(after.body.rto).toMatchObject({
      status: 'met',
      estimateSeconds: 1200,
    });

    const list = await get('/databases');
    const byName = Object.fromEntries(
      list.body.items.map((d: any) => [d.name, d.recovery]),
    );
    expect(byName.ledger).toEqual({
      rpo: 'missed',
      rto: 'met',
      rpoAgeSeconds: expect.any(Number),
      rtoEstimateSeconds: 1200,
    });
    // 30 hours, and the seconds the test took since.
    expect(byName.ledger.rpoAgeSeconds - 30 * 3600).toBeGreaterThanOrEqual(0);
    expect(byName.ledger.rpoAgeSeconds - 30 * 3600).toBeLessThan(60);
    expect(byName.orders).toEqual({ rpo: 'unknown', rto: 'unknown' });
    const one = await get('/databases/payments/ledger');
    expect(one.body.recovery).toMatchObject({ rpo: 'missed', rto: 'met' });
  });
});
