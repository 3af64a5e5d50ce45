import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  TEST_PG_BIN,
  testLocalCluster,
} from '../snapshots/__testUtils__/testCluster';
import { PgTool, PgToolLocator } from './PgToolLocator';
import { runPgTool } from './runPgTool';
import { INHERITED_VARIABLES } from './toolEnvironment';
import { withEnvironment } from './__testUtils__/withEnvironment';

jest.setTimeout(30_000);

/** What libpqEnvironment sets for a tool that connects; nothing else. */
const LIBPQ_VARIABLES = [
  'PGHOST',
  'PGPORT',
  'PGUSER',
  'PGDATABASE',
  'PGPASSFILE',
  'PGSSLMODE',
  'PGSSLROOTCERT',
  'PGCONNECT_TIMEOUT',
  'PGAPPNAME',
];

/** Node itself as the "tool": a tiny script that reports what it got. */
const node: PgTool = { path: process.execPath, major: 15, version: '15' };

const REPORT_ENVIRONMENT = `
const fs = require('node:fs');
const file = process.env.PGPASSFILE;
process.stdout.write(JSON.stringify({
  env: process.env,
  passFileMode: file ? (fs.statSync(file).mode & 0o777).toString(8) : undefined,
}));
`;

/** Values the backend holds that no client tool may ever see. */
const POISON = {
  AWS_ACCESS_KEY_ID: 'AKIAPOISONPOISON',
  AWS_SECRET_ACCESS_KEY: 'poisoned-aws-secret',
  GITHUB_TOKEN: 'ghp_poisoned',
  PGPASSWORD: 'poisoned-pg-password',
  PGSERVICE: 'poisoned-service',
  PGHOST: 'poisoned.example',
  NODE_OPTIONS: '--require=/poisoned.js',
  HOME: '/poisoned-home',
  TMPDIR: '/poisoned-tmp',
};

describe('runPgTool', () => {
  const { connection } = testLocalCluster();
  const password = connection.password!;
  const target = {
    connection,
    database: 'postgres',
    applicationName: 'dbaas-test',
  };

  it('gives a connecting tool only allow-listed and libpq variables, never a password', async () => {
    const stdout = await withEnvironment(POISON, () =>
      runPgTool({
        tool: node,
        args: ['-e', REPORT_ENVIRONMENT],
        what: 'environment report',
        target,
      }),
    );
    const report = JSON.parse(stdout) as {
      env: Record<string, string>;
      passFileMode: string;
    };
    const names = Object.keys(report.env);
    const allowed = new Set([...INHERITED_VARIABLES, ...LIBPQ_VARIABLES]);
    expect(names.filter(name => !allowed.has(name))).toEqual([]);
    expect(names).not.toContain('PGPASSWORD');
    expect(report.env).toMatchObject({
      PGHOST: connection.host,
      PGPORT: String(connection.port),
      PGUSER: connection.user,
      PGDATABASE: 'postgres',
      PGAPPNAME: 'dbaas-test',
    });
    // The password only in the private file, which is gone afterwards.
    expect(stdout).not.toContain(password);
    for (const value of Object.values(POISON)) {
      expect(stdout).not.toContain(value);
    }
    expect(report.passFileMode).toBe('600');
    expect(existsSync(report.env.PGPASSFILE)).toBe(false);
    expect(report.env.PATH).toBe(process.env.PATH);
  });

  it('gives a tool that does not connect only the allow-listed variables', async () => {
    const stdout = await withEnvironment(POISON, () =>
      runPgTool({
        tool: node,
        args: ['-e', REPORT_ENVIRONMENT],
        what: 'environment report',
      }),
    );
    const names = Object.keys(JSON.parse(stdout).env);
    expect(names.filter(name => !INHERITED_VARIABLES.includes(name))).toEqual(
      [],
    );
  });

  describe('with the real pg_dump', () => {
    let pgDump: PgTool;
    beforeAll(async () => {
      pgDump = await new PgToolLocator({ setting: 'test' }).at(
        TEST_PG_BIN,
        'pg_dump',
      );
    });

    it('connects with the cluster settings despite a poisoned environment', async () => {
      const stdout = await withEnvironment(POISON, () =>
        runPgTool({
          tool: pgDump,
          args: ['--schema-only', '--no-password', '--schema=pg_catalog'],
          what: 'pg_dump of postgres',
          target,
        }),
      );
      expect(stdout).toMatch(/PostgreSQL database dump complete/);
    });

    it('fails with its exit code and its own message, without the password', async () => {
      const error = await runPgTool({
        tool: pgDump,
        args: ['--schema-only', '--no-password'],
        what: "pg_dump of 'nowhere'",
        target: { ...target, database: 'dbaas-no-such-database' },
      }).then(
        () => new Error('pg_dump did not fail'),
        (e: Error) => e,
      );
      expect(error.message).toMatch(
        /^pg_dump of 'nowhere' exited with code 1: .*"dbaas-no-such-database" does not exist/,
      );
      expect(error.message).not.toContain(password);
    });
  });

  it('hands stdout to a reader and stops the tool when the reader fails', async () => {
    const chunks: Buffer[] = [];
    await runPgTool({
      tool: node,
      args: ['-e', 'process.stdout.write("x".repeat(100000))'],
      what: 'writer',
      readStdout: stdout =>
        pipeline(
          stdout,
          new Writable({
            write(chunk, _encoding, callback) {
              chunks.push(chunk);
              callback();
            },
          }),
        ),
    });
    expect(Buffer.concat(chunks).length).toBe(100_000);

    const started = Date.now();
    await expect(
      runPgTool({
        tool: node,
        args: ['-e', 'setInterval(() => process.stdout.write("x"), 10)'],
        what: 'endless writer',
        readStdout: async () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow(/^endless writer: disk full$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('tells a reader whether the tool succeeded, and names the tool’s own failure first', async () => {
    let outcome = '';
    await runPgTool({
      tool: node,
      args: ['-e', 'process.stdout.write("ok")'],
      what: 'writer',
      readStdout: async (stdout, succeeded) => {
        stdout.resume();
        await succeeded;
        outcome = 'succeeded';
      },
    });
    expect(outcome).toBe('succeeded');

    // The reader fails because the tool did: the tool's message is the cause.
    await expect(
      runPgTool({
        tool: node,
        args: [
          '-e',
          'process.stdout.write("half"); process.stderr.write("server closed the connection"); process.exit(1)',
        ],
        what: 'pg_dump',
        readStdout: async (stdout, succeeded) => {
          stdout.resume();
          await succeeded;
        },
      }),
    ).rejects.toThrow(
      /^pg_dump exited with code 1: server closed the connection$/,
    );
  });

  it('feeds stdin from a writer, and stops the tool when the writer fails', async () => {
    const out = await runPgTool({
      tool: node,
      args: [
        '-e',
        'let n = 0; process.stdin.on("data", c => (n += c.length)); process.stdin.on("end", () => process.stdout.write(String(n)));',
      ],
      what: 'counter',
      writeStdin: async stdin => {
        stdin.end(Buffer.alloc(123_456));
      },
    });
    expect(out).toBe('123456');

    const started = Date.now();
    await expect(
      runPgTool({
        tool: node,
        args: ['-e', 'process.stdin.resume(); setTimeout(() => {}, 60000)'],
        what: 'pg_restore',
        writeStdin: async () => {
          throw new Error('download failed');
        },
      }),
    ).rejects.toThrow(/^pg_restore: download failed$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('says it was stopped when the signal stopped it, though the reader failed first', async () => {
    const abort = new AbortController();
    const running = runPgTool({
      tool: node,
      args: ['-e', 'setInterval(() => process.stdout.write("x"), 10)'],
      what: 'pg_dump',
      signal: abort.signal,
      // Like an upload that the same signal aborts.
      readStdout: stdout =>
        new Promise((_resolve, reject) => {
          stdout.resume();
          abort.signal.addEventListener('abort', () =>
            reject(new Error('Upload aborted.')),
          );
        }),
    });
    setTimeout(() => abort.abort(), 200);
    await expect(running).rejects.toThrow(/^pg_dump was stopped \(aborted\)/);
  });

  it('stops the tool when aborted, and never starts it once aborted', async () => {
    const abort = new AbortController();
    const running = runPgTool({
      tool: node,
      args: ['-e', 'setTimeout(() => {}, 60000)'],
      what: 'sleeper',
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(), 200);
    await expect(running).rejects.toThrow(/^sleeper was stopped \(aborted\)/);
    await expect(
      runPgTool({
        tool: node,
        args: ['-e', ''],
        what: 'sleeper',
        signal: abort.signal,
      }),
    ).rejects.toThrow('sleeper was not started: aborted');
  });

  it('says when the tool cannot start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dbaas-no-tool-'));
    try {
      await expect(
        runPgTool({
          tool: { path: join(dir, 'pg_dump'), major: 15, version: '15' },
          args: [],
          what: 'pg_dump',
          target,
        }),
      ).rejects.toThrow(/^pg_dump could not start .*pg_dump: .*ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
