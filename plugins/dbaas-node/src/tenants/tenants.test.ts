import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogTenantDirectory } from './CatalogTenantDirectory';
import { ConfigTenantDirectory } from './ConfigTenantDirectory';
import { mergeTenants, tenantsOwnedBy } from './TenantDirectory';

describe('ConfigTenantDirectory', () => {
  it('reads dbaas.tenants with full owner refs', async () => {
    const directory = ConfigTenantDirectory.fromConfig(
      new ConfigReader({
        dbaas: {
          tenants: [
            { namespace: 'payments', owner: 'payments', budget: 300 },
            { namespace: 'search', owner: 'group:default/search' },
          ],
        },
      }),
    );
    expect(await directory.listTenants()).toEqual([
      {
        namespace: 'payments',
        owners: ['group:default/payments'],
        budget: 300,
      },
      {
        namespace: 'search',
        owners: ['group:default/search'],
        budget: undefined,
      },
    ]);
  });

  it.each([
    [
      { namespace: 'Payments', owner: 'x' },
      /dbaas.tenants\[0\].namespace: `Payments` may only contain/,
    ],
    [
      { namespace: 'payments', owner: 'user:' },
      /dbaas.tenants\[0\].owner: 'user:' is not an entity ref/,
    ],
  ])('refuses a malformed entry %j', (entry, message) => {
    expect(() =>
      ConfigTenantDirectory.fromConfig(
        new ConfigReader({ dbaas: { tenants: [entry] } }),
      ),
    ).toThrow(message);
  });
});

describe('CatalogTenantDirectory', () => {
  it('takes namespaces from the dbaas.io/namespaces annotation of groups', async () => {
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: {
            name: 'payments',
            annotations: {
              'dbaas.io/namespaces': 'payments, payments-batch,,Bad_NS',
            },
          },
          spec: { type: 'team', children: [] },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'no-tenants' },
          spec: { type: 'team', children: [] },
        },
      ],
    });
    const directory = new CatalogTenantDirectory(catalog, mockServices.auth());
    expect(await directory.listTenants()).toEqual([
      { namespace: 'payments', owners: ['group:default/payments'] },
      { namespace: 'payments-batch', owners: ['group:default/payments'] },
    ]);
  });
});

describe('mergeTenants and tenantsOwnedBy', () => {
  const merged = mergeTenants([
    [{ namespace: 'payments', owners: ['group:default/payments'] }],
    [
      { namespace: 'payments', owners: ['group:default/finance'], budget: 10 },
      { namespace: 'checkout', owners: ['group:default/checkout'] },
    ],
  ]);

  it('joins owners of the same namespace', () => {
    expect(merged).toEqual([
      { namespace: 'checkout', owners: ['group:default/checkout'] },
      {
        namespace: 'payments',
        owners: ['group:default/payments', 'group:default/finance'],
        budget: 10,
      },
    ]);
  });

  it('filters by ownership refs', () => {
    expect(
      tenantsOwnedBy(merged, ['user:default/ana', 'group:default/finance']).map(
        t => t.namespace,
      ),
    ).toEqual(['payments']);
    expect(tenantsOwnedBy(merged, ['user:default/ana'])).toEqual([]);
  });
});

describe('CatalogTenantDirectory caching', () => {
  const group = (namespaces: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'payments',
      annotations: { 'dbaas.io/namespaces': namespaces },
    },
    spec: { type: 'team', children: [] },
  });

  it('reuses a read for the TTL and keeps the last good answer when the catalog fails', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const catalog = catalogServiceMock.mock({
      getEntities: async () => {
        calls += 1;
        if (fail) {
          throw new Error('catalog down');
        }
        return { items: [group('payments')] };
      },
    });
    const directory = new CatalogTenantDirectory(catalog, mockServices.auth(), {
      cacheTtlMs: 1000,
      now: () => now,
    });
    expect(await directory.listTenants()).toHaveLength(1);
    expect(await directory.listTenants()).toHaveLength(1);
    expect(calls).toBe(1);
    now = 5000;
    fail = true;
    expect(await directory.listTenants()).toEqual([
      { namespace: 'payments', owners: ['group:default/payments'] },
    ]);
    expect(calls).toBe(2);
  });

  it('throws when the catalog fails before any good answer', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: async () => {
        throw new Error('catalog down');
      },
    });
    await expect(
      new CatalogTenantDirectory(catalog, mockServices.auth()).listTenants(),
    ).rejects.toThrow('catalog down');
  });
});
