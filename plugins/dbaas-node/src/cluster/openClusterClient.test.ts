import { ClusterConnection } from './connectionConfig';
import { openClusterClient, withClusterClient } from './openClusterClient';
import {
  postgresSuite,
  TEST_DATABASE_URL,
  testConnection,
  withSuperuser,
} from './__testUtils__/postgres';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;

/** Sessions on the test server that carry an application name. */
function sessionsNamed(applicationName: string): Promise<number> {
  return withSuperuser(async admin => {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows[0].n;
  });
}

/** The connection with another login; the password stays non-enumerable. */
function withLogin(user: string, password: string): ClusterConnection {
  const connection = { ...testConnection(), user };
  Object.defineProperty(connection, 'password', {
    value: password,
    enumerable: false,
  });
  return connection;
}

describeWithPostgres(postgresSuite('openClusterClient'), () => {
  it('opens a session on the chosen database with the application name', async () => {
    const client = await openClusterClient(testConnection(), {
      database: 'template1',
      applicationName: 'dbaas-open-test',
    });
    try {
      const { rows } = await client.query(
        `SELECT current_database() AS db, current_setting('application_name') AS app`,
      );
      expect(rows[0]).toEqual({ db: 'template1', app: 'dbaas-open-test' });
    } finally {
      await client.end();
    }
  });

  it('withClusterClient ends the session after fn, also when fn fails', async () => {
    const applicationName = `dbaas-with-${process.pid}`;
    await expect(
      withClusterClient(testConnection(), { applicationName }, async c => {
        await c.query('SELECT 1');
        expect(await sessionsNamed(applicationName)).toBe(1);
        throw new Error('fn failed');
      }),
    ).rejects.toThrow('fn failed');
    expect(await sessionsNamed(applicationName)).toBe(0);
    expect(
      await withClusterClient(testConnection(), { applicationName }, c =>
        c.query('SELECT 1 AS one').then(r => r.rows[0].one),
      ),
    ).toBe(1);
    expect(await sessionsNamed(applicationName)).toBe(0);
  });

  it('rejects a refused login with its code and without the password, even when the server quotes it', async () => {
    // The server names the user in its message: here that is the password.
    const secret = 'not-a-user-but-a-Secret-123';
    const error = await openClusterClient(withLogin(secret, secret)).then(
      () => new Error('connected'),
      (e: Error) => e,
    );
    expect((error as { code?: string }).code).toBe('28P01');
    expect(error.message).toMatch(/password authentication failed/);
    expect(error.message).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  });

  it('rejects an unreachable cluster within the connection timeout', async () => {
    const started = Date.now();
    await expect(
      openClusterClient(
        { ...testConnection(), host: '127.0.0.1', port: 1 },
        { connectionTimeoutMillis: 2000 },
      ),
    ).rejects.toThrow(/ECONNREFUSED|timeout/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
