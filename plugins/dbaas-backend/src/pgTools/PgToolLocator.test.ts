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
import { TEST_PG_BIN } from '../snapshots/__testUtils__/testCluster';
import { PgToolLocator, parseToolVersion, serverMajor } from './PgToolLocator';
import { withEnvironment } from './__testUtils__/withEnvironment';

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
  const SETTING = 'dbaas.snapshots.local.binDirectory';
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dbaas-pg-tools-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** A script in `<root>/<major>/bin` answering `--version` like the tool. */
  async function fakeTool(name: string, major: number, body = '') {
    const bin = join(root, String(major), 'bin');
    await mkdir(bin, { recursive: true });
    const script = join(bin, name);
    await writeFile(
      script,
      `#!/bin/sh\n${body}echo "${name} (PostgreSQL) ${major}.1"\n`,
    );
    await chmod(script, 0o755);
    return bin;
  }

  function server(versionNum: number, description = 'test') {
    return { versionNum, description };
  }

  it('uses the configured bin directory when it is recent enough', async () => {
    const tool = await new PgToolLocator({
      binDirectory: TEST_PG_BIN,
      setting: SETTING,
    }).find('pg_dump', server(150004, "cluster 'local'"));
    expect(tool).toEqual({
      path: join(TEST_PG_BIN, 'pg_dump'),
      major: 15,
      version: expect.stringMatching(/^15\.\d+$/),
    });
  });

  it('refuses a pg_dump older than the server, saying what it found and what to do (QUALITY 26)', async () => {
    const error = await new PgToolLocator({
      binDirectory: TEST_PG_BIN,
      setting: SETTING,
    })
      .find('pg_dump', server(160002, "cluster 'eu' (PostgreSQL 16.2)"))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^pg_dump 16 or newer is needed for cluster 'eu' \(PostgreSQL 16\.2\); found in dbaas\.snapshots\.local\.binDirectory \(.*\): 15\.\d+ at .*pg_dump\. A pg_dump older than the server cannot be used with it: install the PostgreSQL 16 client and set dbaas\.snapshots\.local\.binDirectory to its bin directory\.$/,
    );
  });

  it('names the setting it was given in the refusal', async () => {
    const bin = await fakeTool('pg_restore', 14);
    await expect(
      new PgToolLocator({
        binDirectory: bin,
        setting: 'dbaas.restore.binDirectory',
      }).find('pg_restore', server(150004)),
    ).rejects.toThrow(
      /^pg_restore 15 or newer is needed for test; found in dbaas\.restore\.binDirectory .*: 14\.1 at .*set dbaas\.restore\.binDirectory to its bin directory/,
    );
  });

  it('picks the oldest installed version that is at least the server major', async () => {
    // Versions not installable here: scripts that answer like pg_dump 14 and 17.
    await fakeTool('pg_dump', 14);
    await fakeTool('pg_dump', 17);
    await mkdir(join(root, '15'), { recursive: true });
    await symlink(TEST_PG_BIN, join(root, '15', 'bin'));
    const locator = new PgToolLocator({ searchRoot: root, setting: SETTING });
    expect((await locator.find('pg_dump', server(150004))).path).toBe(
      join(root, '15', 'bin', 'pg_dump'),
    );
    expect((await locator.find('pg_dump', server(160000))).path).toBe(
      join(root, '17', 'bin', 'pg_dump'),
    );
    await expect(locator.find('pg_dump', server(180000))).rejects.toThrow(
      /pg_dump 18 or newer is needed/,
    );
  });

  it('checks the tool in a directory chosen earlier against the server', async () => {
    const bin = await fakeTool('pg_dump', 14);
    const locator = new PgToolLocator({ setting: SETTING });
    expect(await locator.at(bin, 'pg_dump')).toEqual({
      path: join(bin, 'pg_dump'),
      major: 14,
      version: '14.1',
    });
    expect((await locator.at(bin, 'pg_dump', server(140010))).major).toBe(14);
    await expect(
      locator.at(bin, 'pg_dump', server(150004, "temporary cluster 'x'")),
    ).rejects.toThrow(
      /^pg_dump 15 or newer is needed for temporary cluster 'x'; found in .*: 14\.1 at/,
    );
    await expect(locator.at(bin, 'pg_restore')).rejects.toThrow(
      /^No usable pg_restore in .*; install the PostgreSQL client there or set dbaas\.snapshots\.local\.binDirectory$/,
    );
  });

  it('reads versions with the scrubbed environment', async () => {
    const bin = await fakeTool(
      'pg_dump',
      16,
      // Answers like no PostgreSQL tool when it sees the secret.
      'if [ -n "$AWS_SECRET_ACCESS_KEY$PGPASSWORD" ]; then echo leaked; exit 0; fi\n',
    );
    await withEnvironment(
      { AWS_SECRET_ACCESS_KEY: 'not-for-tools', PGPASSWORD: 'not-for-tools' },
      async () => {
        const locator = new PgToolLocator({ setting: SETTING });
        expect((await locator.at(bin, 'pg_dump')).version).toBe('16.1');
      },
    );
  });
});
