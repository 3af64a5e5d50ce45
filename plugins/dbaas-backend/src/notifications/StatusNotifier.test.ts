import { mockServices } from '@backstage/backend-test-utils';
import { StatusNotifier } from './StatusNotifier';

describe('StatusNotifier', () => {
  function setup() {
    const sent: any[] = [];
    const audited: any[] = [];
    const notifier = new StatusNotifier({
      notifications: { send: async options => void sent.push(options) },
      auditor: {
        createEvent: async options => {
          audited.push(options);
          return { success: async () => {}, fail: async () => {} };
        },
      },
      tenants: {
        listTenants: async () => [
          { namespace: 'payments', owners: ['group:default/payments'] },
        ],
      },
      logger: mockServices.logger.mock(),
    });
    return { notifier, sent, audited };
  }

  it('notifies the tenant owners of ready, failed and orphaned only', async () => {
    const { notifier, sent, audited } = setup();
    await notifier.statusesChanged([
      {
        namespace: 'payments',
        name: 'ledger',
        from: 'provisioning',
        status: 'ready',
        at: '2026-11-21T10:00:00Z',
      },
      {
        namespace: 'payments',
        name: 'ledger',
        from: 'merged',
        status: 'provisioning',
        at: '2026-11-21T09:59:00Z',
      },
      {
        namespace: 'payments',
        name: 'payouts',
        status: 'failed',
        reason: 'role payments-payouts-read: permission denied',
        at: '2026-11-21T10:00:00Z',
      },
      {
        namespace: 'payments',
        name: 'archive',
        status: 'orphaned',
        at: '2026-11-21T10:00:00Z',
      },
    ]);
    expect(sent.map(s => s.payload.title)).toEqual([
      'Database payments-ledger is ready',
      'Database payments-payouts failed',
      'Database payments-archive is orphaned: removed from the apps repository, its data is kept in the cluster',
    ]);
    expect(sent[1]).toEqual({
      recipients: { type: 'entity', entityRef: ['group:default/payments'] },
      payload: expect.objectContaining({
        description: 'role payments-payouts-read: permission denied',
        link: '/catalog/default/resource/payments-payouts',
        severity: 'high',
        topic: 'dbaas',
      }),
    });
    expect(audited).toHaveLength(4);
    expect(audited[0]).toEqual({
      eventId: 'database-status-change',
      severityLevel: 'low',
      meta: {
        database: 'payments/ledger',
        from: 'provisioning',
        to: 'ready',
        reason: null,
      },
    });
  });

  it('does not notify when the tenant has no known owner', async () => {
    const { notifier, sent } = setup();
    await notifier.statusesChanged([
      {
        namespace: 'search',
        name: 'index',
        status: 'ready',
        at: '2026-11-21T10:00:00Z',
      },
    ]);
    expect(sent).toEqual([]);
  });
});
