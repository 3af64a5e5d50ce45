import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from '@dbaas/plugin-dbaas-node';
import { applyDatabaseMigrations } from '../database/migrations';
import { createClusterProviders } from '../providers/createClusterProviders';
import { createBilling } from './createBilling';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { BILLING_TASK_ID, readBillingTaskSettings } from './scheduleBilling';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const HOUR = 3_600_000;

describe('readBillingTaskSettings', () => {
  const logger = mockServices.logger.mock();

  it('has defaults and reads durations in any form', () => {
    expect(readBillingTaskSettings(new ConfigReader({}), logger)).toEqual({
      schedule: {
        frequency: { minutes: 15 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 2 },
        scope: 'global',
      },
      retention: { hourMs: 35 * 24 * HOUR, dayMs: 400 * 24 * HOUR },
    });
    expect(
      readBillingTaskSettings(
        new ConfigReader({
          dbaas: {
            billing: {
              schedule: { frequency: '5m', timeout: { minutes: 2 } },
              retention: { hour: 'P10D', day: { days: 800 } },
            },
          },
        }),
        logger,
      ),
    ).toEqual({
      schedule: {
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
        scope: 'global',
      },
      retention: { hourMs: 10 * 24 * HOUR, dayMs: 800 * 24 * HOUR },
    });
  });

  it('names the key of a malformed duration', () => {
    expect(() =>
      readBillingTaskSettings(
        new ConfigReader({
          dbaas: { billing: { schedule: { frequency: 'often' } } },
        }),
        logger,
      ),
    ).toThrow(/dbaas\.billing\.schedule/);
    expect(() =>
      readBillingTaskSettings(
        new ConfigReader({ dbaas: { billing: { frequency: 'often' } } }),
        logger,
      ),
    ).toThrow(/dbaas\.billing\.frequency/);
  });
});

describe('createBilling', () => {
  it('schedules a global task that bills month-to-date from metrics and alerts over budget', async () => {
    const knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const config = new ConfigReader({
      dbaas: {
        clusters: [
          {
            name: 'local',
            environment: 'dev',
            provider: 'local',
            connection: 'postgresql://observer@127.0.0.1:1/postgres',
            capacity: 2,
          },
        ],
        billing: { frequency: { minutes: 5 } },
        tenants: [
          {
            namespace: 'payments',
            owner: 'group:default/payments',
            budget: 0.1,
          },
        ],
      },
    });
    const scheduler = mockServices.scheduler.mock();
    const sent: any[] = [];
    const billing = await createBilling({
      config,
      logger: mockServices.logger.mock(),
      scheduler,
      auditor: mockServices.auditor.mock(),
      notifications: { send: async options => void sent.push(options) },
      knex,
      providers: createClusterProviders(readClusterConfigs(config)),
      usage: new DatabaseMetricsStore(knex),
      inventory: {
        listDatabases: async () => [
          {
            namespace: 'payments',
            name: 'ledger',
            databaseName: 'payments-ledger',
          },
        ],
      },
      access: {
        assertTenantBilling: async () => {},
        filterTenantBilling: async namespaces => ({
          namespaces,
          everyTenant: true,
        }),
      },
      tenants: {
        listTenants: async () => [
          { namespace: 'payments', owners: ['group:default/payments'] },
        ],
      },
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: BILLING_TASK_ID,
        scope: 'global',
        frequency: { minutes: 5 },
        timeout: { minutes: 10 },
      }),
    );

    // A fresh portal: metrics of the current hour only.
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    await knex('dbaas_metric_points').insert({
      cluster: 'local',
      database_name: 'payments-ledger',
      resolution: 'hour',
      bucket_start: hour,
      size_bytes: 1024 ** 3,
      active_time_share: 0.5,
      samples: 3,
    });
    const { fn } = scheduler.scheduleTask.mock.calls[0][0] as any;
    await fn(new AbortController().signal);

    const report = await billing.reports.month();
    const [payments] = report.tenants;
    // 2 ACU × 0.12 plus 1 GB of storage for the hour, provisionally.
    expect(payments.namespace).toBe('payments');
    expect(payments.cents.total).toBe(24);
    expect(report.asOf).toBe(new Date(hour.getTime() + HOUR).toISOString());
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: ['group:default/payments'] },
        payload: expect.objectContaining({
          scope: `dbaas:billing:payments:${report.month}:100`,
        }),
      }),
    ]);
  });
});
