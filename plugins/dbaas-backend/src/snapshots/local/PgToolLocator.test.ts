import {
  chmod,
  mkdir,
  mkdtemp,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@backstage/errors';
import { TEST_PG_BIN } from '../__testUtils__/testCluster';
import { PgToolLocator, parseToolVersion, serverMajor } from './PgToolLocator';

describe('parseToolVersion', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.8 (Debian 15.8-1.pgdg120+1)', 15, '15.8'],
    ['pg_dump (PostgreSQL) 9.6.24', 9, '9.6'],
    ['pg_restore (PostgreSQL) 17beta2', 17, '17'],
  ])('%s', (output, major, version) => {
    expect(parseToolVersion(output)).toEqual({ major, version });
  });

  it('rejects output that is not a PostgreSQL tool', () => {
    expect(parseToolVersion('GNU tar 1.34')).toBeUndefined();
  });

  it('reads the major version of server_version_num', () => {
    expect(serverMajor(150008)).toBe(15);
    expect(serverMajor(90624)).toBe(9);
  });
});

describe('PgToolLocator', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dbaas-pg-tools-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('uses the configured bin directory when it is recent enough', async () => {
    const tool = await new PgToolLocator({ binDirectory: TEST_PG_BIN }).find(
      'pg_dump',
      150004,
      "cluster 'local'",
    );
    expect(tool).toEqual({
      path: join(TEST_PG_BIN, 'pg_dump'),
      major: 15,
      version: expect.stringMatching(/^15\.\d+$/),
    });
  });

  it('refuses a pg_dump older than the server, saying what it found and what to do (QUALITY 26)', async () => {
    const error = await new PgToolLocator({ binDirectory: TEST_PG_BIN })
      .find('pg_dump', 160002, "cluster 'eu' (PostgreSQL 16.2)")
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^pg_dump 16 or newer is needed for cluster 'eu' \(PostgreSQL 16\.2\) \(PostgreSQL 16\); found in dbaas\.snapshots\.local\.binDirectory .*: 15\.\d+ at .*pg_dump\. .*set dbaas\.snapshots\.local\.binDirectory/,
    );
  });

  it('picks the oldest installed version that is at least the server major', async () => {
    // Versions not installable here: scripts that answer like pg_dump 14 and 17.
    for (const major of [14, 17]) {
      const bin = join(root, String(major), 'bin');
      await mkdir(bin, { recursive: true });
      const script = join(bin, 'pg_dump');
      await writeFile(
        script,
        `#!/bin/sh\necho "pg_dump (PostgreSQL) ${major}.1"\n`,
      );
      await chmod(script, 0o755);
    }
    await mkdir(join(root, '15'), { recursive: true });
    await symlink(TEST_PG_BIN, join(root, '15', 'bin'));
    const locator = new PgToolLocator({ searchRoot: root });
    expect((await locator.find('pg_dump', 150004, 'test')).path).toBe(
      join(root, '15', 'bin', 'pg_dump'),
    );
    expect((await locator.find('pg_dump', 160000, 'test')).path).toBe(
      join(root, '17', 'bin', 'pg_dump'),
    );
    await expect(locator.find('pg_dump', 180000, 'test')).rejects.toThrow(
      /pg_dump 18 or newer is needed/,
    );
  });
});
