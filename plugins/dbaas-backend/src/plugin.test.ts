import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { dbaasPlugin } from './plugin';

jest.setTimeout(60_000);

// The plugin's own database is PostgreSQL, as in production (the default
// in-memory SQLite of startTestBackend does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('dbaasPlugin', () => {
  async function startPlugin(config: object = {}) {
    const knex = await databases.init('POSTGRES_15');
    const { server } = await startTestBackend({
      features: [
        dbaasPlugin,
        mockServices.rootConfig.factory({ data: config }),
        mockServices.database.factory({ knex }),
      ],
    });
    return server;
  }

  it('answers /health without credentials', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .get('/api/dbaas/health')
      .set('authorization', mockCredentials.none.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('validates a good request', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'payments', name: 'ledger' });
    expect(response.body).toEqual({ valid: true, problems: [] });
    expect(response.status).toBe(200);
  });

  it.each([
    ['../../clusters/prod/x', 'name'],
    ['a/b', 'name'],
    ['key: value', 'name'],
    ['line\nbreak', 'name'],
  ])('returns every problem of %j', async (value, field) => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'payments', name: value });
    expect(response.status).toBe(200);
    expect(response.body.valid).toBe(false);
    expect(response.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field, rule: 'charset' }),
      ]),
    );
  });

  it('refuses reserved namespaces, from config when set', async () => {
    const server = await startPlugin({
      dbaas: { naming: { reservedNamespaces: ['legacy-*'] } },
    });
    const reserved = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'legacy-billing', name: 'db' });
    expect(reserved.body.problems).toEqual([
      expect.objectContaining({ field: 'namespace', rule: 'reserved' }),
    ]);
    const notReservedHere = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'argocd', name: 'db' });
    expect(notReservedHere.body.valid).toBe(true);
  });

  it('answers 400 with the schema rule for a malformed body', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'payments', name: 42, extra: true });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
  });

  it('requires credentials for /validate', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.none.header())
      .send({ namespace: 'payments', name: 'ledger' });
    expect(response.status).toBe(401);
  });
});
