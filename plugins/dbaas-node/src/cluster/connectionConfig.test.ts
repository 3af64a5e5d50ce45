import { inspect } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from './clusterConfig';
import { describeConnection, toPgClientConfig } from './connectionConfig';
import { parseConnectionString } from './connectionString';

const PASSWORD = 'S3cr3t-Pa55word-never-shown';

function clusters(entries: unknown[]) {
  return new ConfigReader({
    dbaas: { clusters: entries },
  } as ConstructorParameters<typeof ConfigReader>[0]);
}

const local = {
  name: 'local',
  environment: 'dev',
  provider: 'local',
  connection: `postgresql://postgres:${PASSWORD}@127.0.0.1:55432/postgres`,
};

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('readClusterConfigs', () => {
  it('returns no clusters when none are configured', () => {
    expect(readClusterConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('reads a connection string with defaults', () => {
    const [cluster] = readClusterConfigs(clusters([local]));
    expect(cluster).toEqual({
      name: 'local',
      environment: 'dev',
      provider: 'local',
      connection: {
        host: '127.0.0.1',
        port: 55432,
        user: 'postgres',
        database: 'postgres',
        ssl: false,
      },
      publicEndpoint: { host: '127.0.0.1', port: 55432 },
      aurora: undefined,
      namespaces: [],
      capacity: 1,
    });
    expect(cluster.connection.password).toBe(PASSWORD);
  });

  it('reads the object form, ssl, aurora, namespaces and capacity', () => {
    const [cluster] = readClusterConfigs(
      clusters([
        {
          name: 'prod-eu',
          environment: 'production',
          provider: 'aurora',
          connection: {
            host: 'db.cluster-x.eu-west-1.rds.amazonaws.com',
            user: 'master',
            password: PASSWORD,
            ssl: { rejectUnauthorized: true, ca: 'PEM' },
          },
          publicEndpoint: { host: 'localhost' },
          aurora: { region: 'eu-west-1', clusterIdentifier: 'idp' },
          namespaces: ['payments', 'team-a'],
          capacity: 4,
        },
      ]),
    );
    expect(cluster.connection).toEqual({
      host: 'db.cluster-x.eu-west-1.rds.amazonaws.com',
      port: 5432,
      user: 'master',
      database: 'postgres',
      ssl: { rejectUnauthorized: true, ca: 'PEM' },
    });
    expect(cluster.connection.password).toBe(PASSWORD);
    expect(cluster.publicEndpoint).toEqual({ host: 'localhost', port: 5432 });
    expect(cluster.aurora).toEqual({
      region: 'eu-west-1',
      clusterIdentifier: 'idp',
    });
    expect(cluster.namespaces).toEqual(['payments', 'team-a']);
    expect(cluster.capacity).toBe(4);
  });

  it('refuses duplicate names, naming both entries', () => {
    expect(() =>
      readClusterConfigs(clusters([local, { ...local, environment: 'test' }])),
    ).toThrow(
      "dbaas.clusters[1] uses the name 'local' already used by dbaas.clusters[0]; cluster names must be unique",
    );
  });

  it.each([
    [{ provider: 'gcp' }, "provider must be one of local, aurora, not 'gcp'"],
    [
      { environment: 'qa' },
      "environment must be one of production, staging, test, dev, not 'qa'",
    ],
    [
      { provider: 'aurora' },
      'aurora (region, clusterIdentifier) is required with provider aurora',
    ],
    [{ connection: undefined }, 'connection is required'],
    [
      { connection: 'mysql://u:p@h/db' },
      'must start with postgresql:// or postgres://',
    ],
    [{ connection: `postgresql://127.0.0.1/db` }, 'has no user name'],
    [
      { connection: `postgresql://u:${PASSWORD}@h/db?sslmode=sometimes` },
      "unknown sslmode 'sometimes'",
    ],
    [{ namespaces: ['Team_A'] }, "dbaas.clusters[0] ('local').namespaces"],
    [{ capacity: 0 }, 'capacity must be a positive number'],
    [
      { connection: { host: 'h', user: 'u', port: 70000 } },
      'port must be a port number',
    ],
  ])('refuses a bad entry %j with a clear error', (override, message) => {
    const error = thrown(() =>
      readClusterConfigs(clusters([{ ...local, ...override }])),
    );
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('never shows the connection string of an unparsable URL', () => {
    const error = thrown(() =>
      readClusterConfigs(
        clusters([{ ...local, connection: `postgresql://u:${PASSWORD}@[bad` }]),
      ),
    );
    expect(error.message).toBe(
      "dbaas.clusters[0] ('local').connection is not a valid postgresql:// URL (the value is not shown because it may hold a password)",
    );
  });

  it('keeps the password out of JSON, inspection, spreads and descriptions', () => {
    const [cluster] = readClusterConfigs(clusters([local]));
    expect(JSON.stringify(cluster)).not.toContain(PASSWORD);
    expect(inspect(cluster, { depth: 10 })).not.toContain(PASSWORD);
    expect(`${JSON.stringify({ ...cluster.connection })}`).not.toContain(
      PASSWORD,
    );
    expect(describeConnection(cluster.connection)).toBe(
      'postgres@127.0.0.1:55432/postgres',
    );
    // ... while the driver still gets it.
    expect(toPgClientConfig(cluster.connection).password).toBe(PASSWORD);
  });
});

describe('parseConnectionString', () => {
  it('decodes percent-encoded credentials and IPv6 hosts', () => {
    const connection = parseConnectionString(
      'postgres://us%40er:p%3Aw%2Fd@[::1]:6543/my-db',
    );
    expect(connection).toMatchObject({
      host: '::1',
      port: 6543,
      user: 'us@er',
      database: 'my-db',
    });
    expect(connection.password).toBe('p:w/d');
  });

  it('maps sslmode onto TLS options', () => {
    const ssl = (query: string) =>
      parseConnectionString(`postgresql://u@h/db${query}`).ssl;
    expect(ssl('')).toBe(false);
    expect(ssl('?sslmode=disable')).toBe(false);
    expect(ssl('?sslmode=prefer')).toBe(false);
    expect(ssl('?sslmode=require')).toEqual({ rejectUnauthorized: false });
    expect(ssl('?sslmode=verify-full')).toEqual({
      rejectUnauthorized: true,
      ca: undefined,
      verifyHostname: true,
    });
    expect(ssl('?sslmode=verify-ca')).toMatchObject({
      rejectUnauthorized: true,
      verifyHostname: false,
    });
    expect(ssl('?ssl=no-verify')).toEqual({ rejectUnauthorized: false });
  });

  it('reads sslrootcert from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-ca-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, 'PEM DATA');
    expect(
      parseConnectionString(
        `postgresql://u@h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(
          file,
        )}`,
      ).ssl,
    ).toEqual({
      rejectUnauthorized: true,
      ca: 'PEM DATA',
      verifyHostname: true,
    });
    expect(() =>
      parseConnectionString(
        `postgresql://u:${PASSWORD}@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem`,
      ),
    ).toThrow("cannot read the sslrootcert file '/nonexistent/ca.pem': ENOENT");
  });

  it('supports Unix sockets through the host parameter', () => {
    expect(
      parseConnectionString('postgresql:///db?host=/var/run/postgresql&user=u'),
    ).toMatchObject({ host: '/var/run/postgresql', port: 5432 });
  });
});

describe('toPgClientConfig', () => {
  const connection = parseConnectionString(
    `postgresql://admin:${PASSWORD}@db:5432/postgres?sslmode=verify-ca`,
  );

  it('switches databases and sets timeouts', () => {
    const config = toPgClientConfig(connection, {
      database: 'team-a-orders',
      connectionTimeoutMillis: 1000,
      statementTimeoutMillis: 2000,
      lockTimeoutMillis: 3000,
      applicationName: 'x',
    });
    expect(config).toMatchObject({
      host: 'db',
      port: 5432,
      user: 'admin',
      password: PASSWORD,
      database: 'team-a-orders',
      connectionTimeoutMillis: 1000,
      statement_timeout: 2000,
      lock_timeout: 3000,
      application_name: 'x',
    });
    // verify-ca: certificate checked, host name not.
    const ssl = config.ssl as {
      rejectUnauthorized: boolean;
      checkServerIdentity: () => undefined;
    };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.checkServerIdentity()).toBeUndefined();
  });

  it('always sets ssl explicitly, so PGSSLMODE cannot change it', () => {
    expect(
      toPgClientConfig(parseConnectionString('postgres://u@h/d')).ssl,
    ).toBe(false);
  });
});
