import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { DatabaseEntityProvider } from './DatabaseEntityProvider';

describe('DatabaseEntityProvider', () => {
  function setup(response: Response) {
    const mutations: any[] = [];
    const requests: { url: string; auth: string | null }[] = [];
    const provider = new DatabaseEntityProvider({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      clusters: [{ name: 'local', environment: 'dev' }],
      platformOwner: 'group:default/platform',
      fetch: (async (url: string, init: RequestInit) => {
        requests.push({
          url,
          auth: new Headers(init.headers).get('authorization'),
        });
        return response;
      }) as any,
    });
    const connection: EntityProviderConnection = {
      applyMutation: async mutation => void mutations.push(mutation),
      refresh: async () => {},
    };
    return { provider, connection, mutations, requests };
  }

  it('replaces the whole set with clusters and live databases, as a service', async () => {
    const { provider, connection, mutations, requests } = setup(
      new Response(
        JSON.stringify({
          items: [
            {
              namespace: 'payments',
              name: 'ledger',
              databaseName: 'payments-ledger',
              mode: 'standard',
              status: 'ready',
              statusSince: '2026-11-21T10:00:00.000Z',
              cluster: 'local',
              entityRef: 'resource:default/payments-ledger',
              owners: ['group:default/payments'],
            },
            {
              namespace: 'payments',
              name: 'old',
              databaseName: 'payments-old',
              mode: 'standard',
              status: 'deleted',
              statusSince: '2026-11-21T10:00:00.000Z',
              entityRef: 'resource:default/payments-old',
              owners: ['group:default/payments'],
            },
          ],
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      ),
    );
    await provider.connect(connection);
    await provider.refresh();
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toMatch(/\/api\/dbaas\/databases$/);
    expect(requests[0].auth).toMatch(/^Bearer /);
    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('full');
    expect(
      mutations[0].entities.map((e: any) => [
        e.entity.metadata.name,
        e.locationKey,
      ]),
    ).toEqual([
      ['dbaas-cluster-local', 'dbaas-databases'],
      ['payments-ledger', 'dbaas-databases'],
    ]);
  });

  it('keeps the catalog as it is when the inventory cannot be read', async () => {
    const { provider, connection, mutations } = setup(
      new Response(
        JSON.stringify({ error: { name: 'Error', message: 'down' } }),
        {
          status: 503,
          statusText: 'Service Unavailable',
        },
      ),
    );
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow(/503/);
    expect(mutations).toEqual([]);
  });
});
