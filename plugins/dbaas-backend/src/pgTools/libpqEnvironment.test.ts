import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterConnection } from '@dbaas/plugin-dbaas-node';
import {
  TEST_PG_BIN,
  testLocalCluster,
} from '../snapshots/__testUtils__/testCluster';
import { libpqEnvironment } from './libpqEnvironment';

jest.setTimeout(30_000);

const execFileAsync = promisify(execFile);

function target(connection: ClusterConnection, database = 'postgres') {
  return { connection, database, applicationName: 'dbaas-test' };
}

/** Runs psql with the environment and tells whether the session uses TLS. */
async function sessionUsesTls(connection: ClusterConnection) {
  const libpq = await libpqEnvironment(target(connection), { toolMajor: 15 });
  try {
    const { stdout } = await execFileAsync(
      join(TEST_PG_BIN, 'psql'),
      [
        '--no-psqlrc',
        '-Atc',
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      ],
      { env: libpq.env },
    );
    return stdout.trim();
  } finally {
    await libpq.dispose();
  }
}

describe('libpqEnvironment (real psql against the test server)', () => {
  it('connects without TLS when the connection says so, with the password from a private file', async () => {
    expect(await sessionUsesTls(testLocalCluster().connection)).toBe('f');
  });

  it('uses TLS for sslmode=require', async () => {
    expect(
      await sessionUsesTls(
        testLocalCluster({ query: 'sslmode=require' }).connection,
      ),
    ).toBe('t');
  });

  it('verifies the server certificate against the given CA', async () => {
    const connection = {
      ...testLocalCluster().connection,
      password: testLocalCluster().connection.password,
      ssl: {
        rejectUnauthorized: true,
        verifyHostname: false,
        ca: '-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUA\n-----END CERTIFICATE-----\n',
      },
    } as ClusterConnection;
    await expect(sessionUsesTls(connection)).rejects.toThrow(
      /certificate|root|SSL/i,
    );
  });

  it('keeps the password out of the environment and the files once disposed', async () => {
    const { connection } = testLocalCluster();
    const libpq = await libpqEnvironment(target(connection, 'app'), {
      toolMajor: 15,
    });
    const passFile = libpq.env.PGPASSFILE!;
    try {
      expect(statSync(passFile).mode & 0o777).toBe(0o600);
      expect(await readFile(passFile, 'utf8')).toContain(
        connection.password!.replace(/:/g, '\\:'),
      );
      expect(JSON.stringify(libpq.env)).not.toContain(connection.password!);
      expect(libpq.env).toMatchObject({
        PGHOST: connection.host,
        PGPORT: String(connection.port),
        PGUSER: connection.user,
        PGDATABASE: 'app',
        PGSSLMODE: 'disable',
        PGAPPNAME: 'dbaas-test',
      });
    } finally {
      await libpq.dispose();
    }
    expect(existsSync(passFile)).toBe(false);
  });
});
