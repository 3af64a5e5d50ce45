import {
  createContext,
  createEnvironment,
  createLocalAppsRepo,
} from '../__testUtils__/actionTestEnvironment';
import { createDbaasDatabaseDeleteAction } from './deleteDatabase';
import { createDbaasDatabaseUpdateAction } from './updateDatabase';

const ORDERS_VALUES = `# checkout's order databases
postgresqlDatabases:
  - name: orders
    mode: protected # keep the data if removed
  - name: carts
    mode: standard
`;

describe('dbaas:database:update and dbaas:database:delete', () => {
  let repo: Awaited<ReturnType<typeof createLocalAppsRepo>>;

  beforeEach(async () => {
    repo = await createLocalAppsRepo([
      { path: 'checkout/orders/values.yaml', content: ORDERS_VALUES },
      {
        path: 'checkout/orders/application.yaml',
        content:
          'apiVersion: v2\nname: orders\nhelm:\n  chart: helm/idp-postgresql\n  chartVersion: "1.0.1"\n',
      },
      {
        path: 'checkout/sessions/values.yaml',
        content:
          'postgresqlDatabases:\n  - name: sessions\n    mode: standard\n',
      },
    ]);
  });

  afterEach(() => repo.cleanup());

  const env = () =>
    createEnvironment(repo.repo, {
      ownership: ['user:default/bo', 'group:default/checkout'],
    });

  async function update(input: Record<string, unknown>, taskId = 'u1') {
    const ctx = createContext(input as any, { taskId });
    await createDbaasDatabaseUpdateAction(env()).handler(ctx as any);
    return ctx;
  }

  async function remove(input: Record<string, unknown>, taskId = 'd1') {
    const ctx = createContext(input as any, { taskId });
    await createDbaasDatabaseDeleteAction(env()).handler(ctx as any);
    return ctx;
  }

  it('changes the mode of one entry, keeping comments and the others', async () => {
    const ctx = await update({
      namespace: 'checkout',
      name: 'carts',
      mode: 'protected',
    });
    expect(repo.show('checkout/orders/values.yaml')).toBe(
      ORDERS_VALUES.replace(
        '  - name: carts\n    mode: standard',
        '  - name: carts\n    mode: protected',
      ),
    );
    expect(ctx.outputs.branchName).toBe('dbaas/update/checkout/carts');
    expect(repo.git('log', '-1', '--format=%B', 'main')).toContain(
      'mode: standard → protected',
    );
  });

  it('changes the chart version of the folder', async () => {
    await update({
      namespace: 'checkout',
      name: 'orders',
      chartVersion: '1.2.0',
    });
    expect(repo.show('checkout/orders/application.yaml')).toContain(
      'chartVersion: "1.2.0"',
    );
  });

  it.each([
    [{ namespace: 'checkout', name: 'carts' }, /Nothing to change/],
    [
      { namespace: 'checkout', name: 'missing', mode: 'protected' },
      /checkout\/missing is not defined/,
    ],
    [
      { namespace: 'payments', name: 'ledger', mode: 'protected' },
      /belongs to group:default\/payments/,
    ],
    [
      { namespace: 'checkout', name: 'Carts', mode: 'protected' },
      /may only contain/,
    ],
  ])('refuses %j', async (input, message) => {
    const before = repo.head();
    await expect(update(input)).rejects.toThrow(message);
    expect(repo.head()).toBe(before);
  });

  it('removes a standard database, and its folder when it was the last', async () => {
    await remove({ namespace: 'checkout', name: 'sessions', reason: 'unused' });
    expect(() => repo.show('checkout/sessions/values.yaml')).toThrow();
    const message = repo.git('log', '-1', '--format=%B', 'main');
    expect(message).toContain('Remove PostgreSQL database checkout-sessions');
    expect(message).toContain('The data is gone once this is merged');
    expect(message).toContain('Reason: unused');
  });

  it('removes a protected database saying the data stays and how to bring it back', async () => {
    await remove({
      namespace: 'checkout',
      name: 'orders',
      reason: 'moved to the new order service',
    });
    expect(repo.show('checkout/orders/values.yaml')).toBe(
      "# checkout's order databases\npostgresqlDatabases:\n  - name: carts\n    mode: standard\n",
    );
    const message = repo.git('log', '-1', '--format=%B', 'main');
    expect(message).toContain('### The data stays');
    expect(message).toContain('*orphaned* database');
    expect(message).toContain('To bring it back under management');
    expect(message).toContain('`name: orders`, `mode: protected`');
  });

  it('needs a reason to remove a database', async () => {
    await expect(
      remove({ namespace: 'checkout', name: 'orders', reason: '  ' }),
    ).rejects.toThrow('Give a reason for removing the database');
  });

  it('returns the same result when a recovered delete task runs again', async () => {
    const store = new Map<string, unknown>();
    const action = createDbaasDatabaseDeleteAction(env());
    const input = { namespace: 'checkout', name: 'sessions', reason: 'unused' };
    const first = createContext(input, { taskId: 'd9', store });
    await action.handler(first as any);
    const head = repo.head();
    const second = createContext(input, { taskId: 'd9', store });
    await action.handler(second as any);
    expect(repo.head()).toBe(head);
    expect(second.outputs).toEqual(first.outputs);
  });
});
