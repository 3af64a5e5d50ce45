import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseBudgetAlertStore } from './DatabaseBudgetAlertStore';
import { BudgetNotifier } from './BudgetNotifier';
import { buildMonthReport } from './monthReport';
import { emptyAmounts } from './TenantCostAllocator';
import { settingsWith } from './testUtils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/** A month in which each tenant spent `spend[namespace]` cents. */
function report(month: string, spend: Record<string, number>) {
  return buildMonthReport({
    month,
    settings: settingsWith(),
    asOf: new Date(`${month}-10T00:00:00Z`),
    databaseRollups: Object.entries(spend).map(([namespace, cents]) => ({
      cluster: 'eu',
      namespace,
      name: 'main',
      day: `${month}-01`,
      micros: { ...emptyAmounts(), computeUsed: cents * 10_000 },
      usage: {
        hours: 1,
        storageGbHours: 0,
        snapshotGbHours: 0,
        activeSeconds: 0,
        transactions: 0,
      },
    })),
  });
}

const budgets = new Map([
  ['payments', 10_000],
  ['checkout', 5_000],
  ['ownerless', 100],
]);

describe('BudgetNotifier', () => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex('dbaas_billing_budget_alerts').delete();
  });

  function setup(send?: (options: any) => Promise<void>) {
    const sent: any[] = [];
    const audited: any[] = [];
    const failed: any[] = [];
    const notifier = new BudgetNotifier({
      alerts: new DatabaseBudgetAlertStore(knex),
      notifications: {
        send: async options => {
          if (send) await send(options);
          sent.push(options);
        },
      },
      auditor: {
        createEvent: async options => {
          audited.push(options);
          return {
            success: async () => {},
            fail: async ({ error }) => void failed.push(error.message),
          };
        },
      },
      tenants: {
        listTenants: async () => [
          { namespace: 'payments', owners: ['group:default/payments'] },
          {
            namespace: 'checkout',
            owners: ['group:default/checkout', 'user:default/jane'],
          },
        ],
      },
      logger: mockServices.logger.mock(),
    });
    return { notifier, sent, audited, failed };
  }

  it('notifies the owners once per threshold and month', async () => {
    const { notifier, sent, audited } = setup();
    await notifier.notify(report('2025-03', { payments: 7_999 }), budgets);
    expect(sent).toEqual([]);

    await notifier.notify(report('2025-03', { payments: 8_000 }), budgets);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/payments'] },
        payload: {
          title:
            'payments has used 80% of its monthly budget (USD 80.00 of 100.00) for 2025-03. Forecast to month end: USD 275.56.',
          link: '/dbaas/billing',
          severity: 'normal',
          topic: 'dbaas-billing',
          scope: 'dbaas:billing:payments:2025-03:80',
        },
      },
    ]);
    expect(audited).toEqual([
      {
        eventId: 'billing-budget-alert',
        severityLevel: 'low',
        meta: {
          namespace: 'payments',
          month: '2025-03',
          threshold: 80,
          spentCents: 8_000,
          budgetCents: 10_000,
          recipients: ['group:default/payments'],
        },
      },
    ]);

    // Still above 80%: nothing new. Then 100%, once.
    await notifier.notify(report('2025-03', { payments: 9_500 }), budgets);
    await notifier.notify(report('2025-03', { payments: 10_000 }), budgets);
    await notifier.notify(report('2025-03', { payments: 12_000 }), budgets);
    expect(sent.map(s => s.payload.scope)).toEqual([
      'dbaas:billing:payments:2025-03:80',
      'dbaas:billing:payments:2025-03:100',
    ]);
    expect(sent[1].payload.severity).toBe('high');

    // A new month starts over.
    await notifier.notify(report('2025-04', { payments: 8_500 }), budgets);
    expect(sent.map(s => s.payload.scope)).toEqual([
      'dbaas:billing:payments:2025-03:80',
      'dbaas:billing:payments:2025-03:100',
      'dbaas:billing:payments:2025-04:80',
    ]);
  });

  it('sends one notification when spend passes both thresholds at once, and none again', async () => {
    const { notifier, sent } = setup();
    await notifier.notify(report('2025-03', { checkout: 6_000 }), budgets);
    await notifier.notify(report('2025-03', { checkout: 6_000 }), budgets);
    expect(sent).toHaveLength(1);
    expect(sent[0].recipients.entityRef).toEqual([
      'group:default/checkout',
      'user:default/jane',
    ]);
    expect(sent[0].payload.scope).toBe('dbaas:billing:checkout:2025-03:100');
    const rows = await knex('dbaas_billing_budget_alerts').select('threshold');
    expect(rows.map(r => r.threshold).sort((x, y) => x - y)).toEqual([80, 100]);
  });

  it('sends once when two replicas check the same month at once', async () => {
    const a = setup();
    const b = setup();
    const month = report('2025-03', { payments: 8_100, checkout: 4_100 });
    await Promise.all([
      a.notifier.notify(month, budgets),
      b.notifier.notify(month, budgets),
      a.notifier.notify(month, budgets),
      b.notifier.notify(month, budgets),
    ]);
    expect([...a.sent, ...b.sent].map(s => s.payload.scope).sort()).toEqual([
      'dbaas:billing:checkout:2025-03:80',
      'dbaas:billing:payments:2025-03:80',
    ]);
  });

  it('tries again after a notification could not be sent', async () => {
    let down = true;
    const { notifier, sent, failed } = setup(async () => {
      if (down) throw new Error('notifications backend unavailable');
    });
    const month = report('2025-03', { payments: 8_100 });
    await notifier.notify(month, budgets);
    expect(sent).toEqual([]);
    expect(failed).toEqual(['notifications backend unavailable']);
    expect(await knex('dbaas_billing_budget_alerts')).toEqual([]);
    down = false;
    await notifier.notify(month, budgets);
    expect(sent.map(s => s.payload.scope)).toEqual([
      'dbaas:billing:payments:2025-03:80',
    ]);
  });

  it('records an alert for a tenant without owners without sending it', async () => {
    const { notifier, sent, audited } = setup();
    await notifier.notify(report('2025-03', { ownerless: 100 }), budgets);
    await notifier.notify(report('2025-03', { ownerless: 100 }), budgets);
    expect(sent).toEqual([]);
    expect(audited).toHaveLength(1);
    expect(audited[0].meta).toMatchObject({
      namespace: 'ownerless',
      threshold: 100,
      recipients: [],
    });
  });

  it('sends nothing without budgets', async () => {
    const { notifier, sent } = setup();
    await notifier.notify(report('2025-03', { payments: 1e6 }), new Map());
    expect(sent).toEqual([]);
  });
});
