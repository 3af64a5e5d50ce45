import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createDbaasDatabaseConditionalDecision,
  dbaasDatabaseConditions,
} from '@dbaas/plugin-dbaas-node';
import { dbaasConnectionReadPermission } from '@dbaas/plugin-dbaas-common';
import {
  ownerOfPayments,
  usePluginWithInventory,
} from '../__testUtils__/startPluginWithInventory';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

// Decisions are made in the backend for every call (QUALITY 10, 11): these
// tests give the plugin DENY and CONDITIONAL answers, never the default
// ALLOW of the mock permission service.
describe('dbaas routes under a real policy decision', () => {
  const start = usePluginWithInventory(databases, 'dbaas-permissions-');

  it('lists nothing when reading is denied, and refuses one database with 403', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.DENY }));
    expect((await get('/databases')).body).toEqual({ items: [] });
    const one = await get('/databases/payments/ledger');
    expect(one.status).toBe(403);
    expect(one.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'You may not see payments/ledger',
    });
  });

  it('gives MCP actions the same decisions as the REST API', async () => {
    const { invoke } = await start(() => ownerOfPayments);
    expect(await invoke('list-databases')).toEqual({
      output: {
        databases: [
          expect.objectContaining({ databaseName: 'payments-ledger' }),
        ],
      },
    });
    await expect(
      invoke('get-database', { namespace: 'checkout', name: 'orders' }),
    ).rejects.toThrow('You may not see checkout/orders');
    await expect(
      invoke('get-database-connection', {
        namespace: 'checkout',
        name: 'orders',
      }),
    ).rejects.toThrow('You may not see how to connect to checkout/orders');
    const { output } = (await invoke('get-database-connection', {
      namespace: 'payments',
      name: 'ledger',
    })) as any;
    expect(output.connection.roles).toHaveLength(3);
    expect(JSON.stringify(output)).not.toMatch(/password/i);
  });

  it("lists only the caller's tenants under a conditional decision", async () => {
    const { get } = await start(() => ownerOfPayments);
    const list = await get('/databases');
    expect(list.body.items.map((d: any) => d.databaseName)).toEqual([
      'payments-ledger',
    ]);
    expect((await get('/databases/checkout/orders')).status).toBe(403);
    expect((await get('/databases/payments/ledger')).status).toBe(200);
  });

  it("refuses another tenant's connection details with 403", async () => {
    const { get } = await start(name =>
      name === dbaasConnectionReadPermission.name
        ? createDbaasDatabaseConditionalDecision(
            dbaasConnectionReadPermission,
            dbaasDatabaseConditions.isTenantOwner({
              claims: ['group:default/payments'],
            }),
          )
        : { result: AuthorizeResult.ALLOW },
    );
    const theirs = await get('/databases/checkout/orders/connection');
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.message).toBe(
      'You may not see how to connect to checkout/orders',
    );
    const ours = await get('/databases/payments/ledger/connection');
    expect(ours.status).toBe(200);
    expect(ours.body.roles[0]).toMatchObject({
      host: 'rds-proxy.internal',
      username: 'payments-ledger-read',
    });
  });

  it('answers 400 naming the rule for a malformed name, 404 for an unknown one', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.ALLOW }));
    const malformed = await get('/databases/payments/Led_ger');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain(
      "may only contain lowercase letters, digits and '-'",
    );
    const unknown = await get('/databases/payments/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'Database payments/nothing is not in the inventory',
    );
  });

  it('refuses an unknown status filter with 400', async () => {
    const { get } = await start(() => ({ result: AuthorizeResult.ALLOW }));
    expect((await get('/databases?status=sleeping')).status).toBe(400);
  });
});
