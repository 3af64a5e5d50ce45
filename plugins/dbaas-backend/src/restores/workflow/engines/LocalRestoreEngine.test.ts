import { rm, stat, truncate } from 'node:fs/promises';
import { RestoreJob } from '../RestoreEngine';
import {
  LocalRestoreEngine,
  LocalRestoreEngineOptions,
} from './LocalRestoreEngine';
import { restoreNames } from './restoreNames';
import {
  BIN_DIRECTORY,
  describeWithPostgres,
  connect,
  connectAsRole,
  databasesLike,
  dumpDatabase,
  fileDump,
  MemorySecretStore,
  newJob,
  query,
  StepRunner,
  testProvisioner,
  toolDirectory,
  useUniqueNamespaces,
} from './testFixtures';

jest.setTimeout(120_000);

/** SQLSTATE of a failed statement, or 'ok'. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describeWithPostgres('LocalRestoreEngine', () => {
  const namespaces = useUniqueNamespaces();

  /**
   * A provisioned `<ns>-orders` with rows 'before' in the snapshot and a
   * row 'after' written once the snapshot was taken.
   */
  async function setUp(
    target: 'new-database' | 'in-place',
    options: Partial<LocalRestoreEngineOptions> & { rows?: number } = {},
  ) {
    const namespace = namespaces.next();
    const store = new MemorySecretStore();
    const provisioner = testProvisioner(store);
    await provisioner.ensure({ namespace, name: 'orders', mode: 'standard' });
    const admin = await connectAsRole(store, namespace, 'orders', 'admin');
    try {
      await admin.query(
        `CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL, created timestamptz DEFAULT now())`,
      );
      await admin.query(`CREATE INDEX items_label ON items (label)`);
      await admin.query(
        `CREATE VIEW labels AS SELECT DISTINCT label FROM items`,
      );
      await admin.query(
        `INSERT INTO items (label) SELECT 'before' FROM generate_series(1, $1)`,
        [options.rows ?? 100],
      );
    } finally {
      await admin.end();
    }
    const dumpFile = await dumpDatabase(`${namespace}-orders`);
    const writer = await connectAsRole(store, namespace, 'orders', 'write');
    try {
      await writer.query(`INSERT INTO items (label) VALUES ('after')`);
    } finally {
      await writer.end();
    }
    const job = newJob(namespace, target);
    const openDump = jest.fn(() => fileDump(dumpFile));
    const engine = new LocalRestoreEngine({
      settings: {
        parallelJobs: 2,
        binDirectory: BIN_DIRECTORY,
        workDirectory: `/tmp/dbaas-restore-work-${namespace}`,
      },
      provisionerFor: () => provisioner,
      openDump,
      ...options,
    });
    return { namespace, store, provisioner, job, engine, dumpFile, openDump };
  }

  async function labels(database: string): Promise<Record<string, number>> {
    const rows = await query<{ label: string; n: number }>(
      database,
      `SELECT label, count(*)::int AS n FROM items GROUP BY label`,
    );
    return Object.fromEntries(rows.map(r => [r.label, r.n]));
  }

  /** What read, write and admin may do on a restored table. */
  async function checkRoles(
    store: MemorySecretStore,
    namespace: string,
    name: string,
  ) {
    const read = await connectAsRole(store, namespace, name, 'read');
    const write = await connectAsRole(store, namespace, name, 'write');
    const admin = await connectAsRole(store, namespace, name, 'admin');
    try {
      expect(await outcome(read.query('SELECT count(*) FROM items'))).toBe(
        'ok',
      );
      expect(await outcome(read.query('SELECT * FROM labels'))).toBe('ok');
      expect(
        await outcome(read.query(`INSERT INTO items (label) VALUES ('x')`)),
      ).toBe('42501');
      expect(
        await outcome(write.query(`INSERT INTO items (label) VALUES ('w')`)),
      ).toBe('ok');
      expect(
        await outcome(
          write.query(`UPDATE items SET label = 'w2' WHERE label = 'w'`),
        ),
      ).toBe('ok');
      expect(
        await outcome(write.query(`DELETE FROM items WHERE label = 'w2'`)),
      ).toBe('ok');
      expect(await outcome(write.query('CREATE TABLE nope (id int)'))).toBe(
        '42501',
      );
      // The admin owns the restored objects: it may change them.
      expect(
        await outcome(admin.query('ALTER TABLE items ADD COLUMN note text')),
      ).toBe('ok');
      expect(await outcome(admin.query('CREATE TABLE later (id int)'))).toBe(
        'ok',
      );
      expect(await outcome(write.query('INSERT INTO later VALUES (1)'))).toBe(
        'ok',
      );
      expect(await outcome(read.query('SELECT * FROM later'))).toBe('ok');
    } finally {
      await Promise.all([read.end(), write.end(), admin.end()]);
    }
  }

  async function expectNoLeftovers(job: RestoreJob, keep: string[]) {
    const names = restoreNames(job);
    const left = await databasesLike(job.namespace);
    expect(left.sort()).toEqual([...keep].sort());
    expect(left).not.toContain(names.scratch);
  }

  it('restores into a new database with its own working roles', async () => {
    const { namespace, store, job, engine } = await setUp('new-database');
    const runner = new StepRunner(engine, job);
    expect(engine.steps(job)).toEqual([
      'preflight',
      'restore',
      'verify',
      'grants',
      'cleanup',
    ]);
    await runner.runAll();

    expect(await labels(job.targetDatabaseName)).toEqual({ before: 100 });
    expect(await labels(job.databaseName)).toEqual({ before: 100, after: 1 });
    await checkRoles(store, namespace, 'orders-restored-202611211530');
    const owners = await query<{ owner: string }>(
      job.targetDatabaseName,
      `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace`,
    );
    expect(owners).toEqual([{ owner: `${job.targetDatabaseName}-admin` }]);
    expect(runner.messages()).toMatch(
      /verified .*1 tables.*1 views.*1 sequences.*2 indexes/,
    );
    await expectNoLeftovers(job, [job.databaseName, job.targetDatabaseName]);
  });

  it('restores in place, keeps the previous data as a safety copy, ends sessions', async () => {
    const { namespace, store, job, engine } = await setUp('in-place');
    const runner = new StepRunner(engine, job);
    const names = restoreNames(job);
    expect(engine.steps(job)).toContain('swap');

    await runner.runAll(0, 3);
    // An application session on the original, open during the swap.
    const app = await connectAsRole(store, namespace, 'orders', 'write');
    app.on('error', () => {});
    await runner.runAll(3);

    expect(await outcome(app.query('SELECT 1'))).not.toBe('ok');
    await app.end().catch(() => {});
    expect(await labels(job.databaseName)).toEqual({ before: 100 });
    expect(await labels(names.safetyCopy)).toEqual({ before: 100, after: 1 });
    expect(runner.state.safetyCopyDatabaseName).toBe(names.safetyCopy);
    expect(runner.messages()).toMatch(/ended 1 session/);
    await checkRoles(store, namespace, 'orders');
    const [{ datallowconn }] = await query<{ datallowconn: boolean }>(
      'postgres',
      'SELECT datallowconn FROM pg_database WHERE datname = $1',
      [job.databaseName],
    );
    expect(datallowconn).toBe(true);
    await expectNoLeftovers(job, [job.databaseName, names.safetyCopy]);

    await expect(engine.dropSafetyCopy(job, job.databaseName)).rejects.toThrow(
      /not the safety copy/,
    );
    await engine.dropSafetyCopy(job, names.safetyCopy);
    await engine.dropSafetyCopy(job, names.safetyCopy);
    await expectNoLeftovers(job, [job.databaseName]);
  });

  it('verifies partitions, foreign keys, constraints and materialized views', async () => {
    const { namespace, store, job } = await setUp('new-database');
    // A second snapshot of a richer schema, taken by the same fixture.
    const admin = await connectAsRole(store, namespace, 'orders', 'admin');
    try {
      await admin.query(`CREATE SCHEMA billing`);
      await admin.query(
        `CREATE TABLE billing.events (id bigint GENERATED ALWAYS AS IDENTITY, at date NOT NULL, item int REFERENCES items (id), amount numeric CHECK (amount >= 0), PRIMARY KEY (id, at)) PARTITION BY RANGE (at)`,
      );
      await admin.query(
        `CREATE TABLE billing.events_2026 PARTITION OF billing.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
      );
      await admin.query(
        `CREATE TABLE billing.events_2027 PARTITION OF billing.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')`,
      );
      await admin.query(`CREATE INDEX ON billing.events (item)`);
      await admin.query(
        `INSERT INTO billing.events (at, item, amount) SELECT '2026-06-01'::date + (g % 400), 1 + g % 50, g FROM generate_series(1, 500) g`,
      );
      await admin.query(
        `CREATE MATERIALIZED VIEW billing.totals AS SELECT item, sum(amount) FROM billing.events GROUP BY item`,
      );
      await admin.query(`CREATE UNIQUE INDEX ON billing.totals (item)`);
    } finally {
      await admin.end();
    }
    const richDump = await dumpDatabase(job.databaseName);
    const rich = new LocalRestoreEngine({
      settings: {
        parallelJobs: 2,
        binDirectory: BIN_DIRECTORY,
        workDirectory: `/tmp/dbaas-restore-work-${namespace}`,
      },
      provisionerFor: () => testProvisioner(store),
      openDump: () => fileDump(richDump),
    });
    const runner = new StepRunner(rich, job);
    await runner.runAll();
    expect(runner.messages()).toMatch(/verified .* 4 tables, 1 views/);
    const [{ n }] = await query<{ n: number }>(
      job.targetDatabaseName,
      `SELECT count(*)::int AS n FROM billing.events`,
    );
    expect(n).toBe(500);
  });

  describe('crash and resume', () => {
    /** The end state every resumed in-place restore must reach. */
    async function expectRestoredInPlace(
      job: RestoreJob,
      store: MemorySecretStore,
    ) {
      const names = restoreNames(job);
      expect(await labels(job.databaseName)).toEqual({ before: 100 });
      expect(await labels(names.safetyCopy)).toEqual({ before: 100, after: 1 });
      await checkRoles(store, job.namespace, 'orders');
      await expectNoLeftovers(job, [job.databaseName, names.safetyCopy]);
    }

    it.each(['preflight', 'restore', 'verify', 'swap', 'grants', 'cleanup'])(
      'runs %s twice (crash before its state was saved)',
      async step => {
        const { store, job, engine } = await setUp('in-place');
        const runner = new StepRunner(engine, job);
        const steps = engine.steps(job);
        const at = steps.indexOf(step as (typeof steps)[number]);
        await runner.runAll(0, at);
        // The first attempt finished its work, but the executor died
        // before it saved the outcome: the step runs again.
        const before = runner.state;
        await runner.run(steps[at]);
        runner.state = before;
        await runner.run(steps[at]);
        await runner.runAll(at + 1);
        await expectRestoredInPlace(job, store);
        expect(runner.state).toMatchObject({ swapped: true, grantsDone: true });
      },
    );

    it('resumes a pg_restore killed half-way', async () => {
      const { store, job, engine } = await setUp('in-place', { rows: 300_000 });
      const runner = new StepRunner(engine, job);
      await runner.run('preflight');
      const abort = new AbortController();
      const names = restoreNames(job);
      const killed = runner.run('restore', abort.signal);
      // Abort once pg_restore is copying data into the scratch database.
      for (let i = 0; i < 400; i++) {
        const rows = await query<{ n: number }>(
          'postgres',
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'COPY%'`,
          [names.scratch],
        );
        if (rows[0].n > 0) break;
        await new Promise(r => setTimeout(r, 10));
      }
      abort.abort();
      await expect(killed).rejects.toThrow(/pg_restore .* was stopped/);
      expect(await databasesLike(names.scratch)).toEqual([names.scratch]);

      await runner.runAll(1);
      const names2 = restoreNames(job);
      expect(await labels(job.databaseName)).toEqual({ before: 300_000 });
      expect(await labels(names2.safetyCopy)).toEqual({
        before: 300_000,
        after: 1,
      });
      await expectNoLeftovers(job, [job.databaseName, names2.safetyCopy]);
      await checkRoles(store, job.namespace, 'orders');
    });

    it.each([
      ['after blocking connections', false],
      ['after renaming the original to the safety copy', true],
    ])('finishes a swap interrupted %s', async (_, renamed) => {
      const { store, job, engine } = await setUp('in-place');
      const runner = new StepRunner(engine, job);
      const names = restoreNames(job);
      await runner.runAll(0, 3);
      const admin = await connect('postgres');
      try {
        await admin.query(
          `ALTER DATABASE "${job.databaseName}" ALLOW_CONNECTIONS false`,
        );
        if (renamed) {
          await admin.query(
            `ALTER DATABASE "${job.databaseName}" RENAME TO "${names.safetyCopy}"`,
          );
        }
      } finally {
        await admin.end();
      }
      await runner.runAll(3);
      await expectRestoredInPlace(job, store);
      expect(runner.messages()).toMatch(/now holds the restored data/);
    });

    it.each([
      ['after renaming the original away', 'half'],
      ['after the swap, before grants', 'swapped'],
    ])('cleanup puts the original back %s', async (_, where) => {
      const { store, job, engine } = await setUp('in-place');
      const runner = new StepRunner(engine, job);
      const names = restoreNames(job);
      await runner.runAll(0, 3);
      if (where === 'half') {
        const admin = await connect('postgres');
        await admin.query(
          `ALTER DATABASE "${job.databaseName}" ALLOW_CONNECTIONS false`,
        );
        await admin.query(
          `ALTER DATABASE "${job.databaseName}" RENAME TO "${names.safetyCopy}"`,
        );
        await admin.end();
      } else {
        await runner.run('swap');
      }
      await runner.cleanup();
      await runner.cleanup();
      expect(await labels(job.databaseName)).toEqual({ before: 100, after: 1 });
      await expectNoLeftovers(job, [job.databaseName]);
      await checkRoles(store, job.namespace, 'orders');
    });

    it('resumes a new-database restore after a crash in each step', async () => {
      const { store, job, engine } = await setUp('new-database');
      const runner = new StepRunner(engine, job);
      for (const step of engine.steps(job)) {
        const before = runner.state;
        await runner.run(step);
        runner.state = before;
        await runner.run(step);
      }
      expect(await labels(job.targetDatabaseName)).toEqual({ before: 100 });
      await checkRoles(store, job.namespace, 'orders-restored-202611211530');
      await expectNoLeftovers(job, [job.databaseName, job.targetDatabaseName]);
    });
  });

  describe('failures', () => {
    it('a corrupt dump fails the restore; cleanup leaves the original untouched', async () => {
      const { job, engine, dumpFile } = await setUp('in-place');
      const runner = new StepRunner(engine, job);
      await runner.run('preflight');
      await truncate(dumpFile, (await stat(dumpFile)).size - 200);
      await expect(runner.run('restore')).rejects.toThrow(
        /pg_restore into '.*_restore_.*' exited with code 1/,
      );
      await runner.cleanup();
      expect(await labels(job.databaseName)).toEqual({ before: 100, after: 1 });
      await expectNoLeftovers(job, [job.databaseName]);
    });

    it('a failed new-database restore drops the target, its roles and secrets', async () => {
      const { job, engine, dumpFile, store } = await setUp('new-database');
      const runner = new StepRunner(engine, job);
      await runner.run('preflight');
      await truncate(dumpFile, 1000);
      await expect(runner.run('restore')).rejects.toThrow(/pg_restore/);
      await runner.cleanup();
      await expectNoLeftovers(job, [job.databaseName]);
      const roles = await query<{ rolname: string }>(
        'postgres',
        `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`,
        [job.targetDatabaseName],
      );
      expect(roles).toEqual([]);
      expect(
        [...store.secrets.keys()].filter(k => k.includes('restored')),
      ).toEqual([]);
    });

    it('a failed grants step after the swap rolls the swap back', async () => {
      const { job, engine, provisioner } = await setUp('in-place');
      const failing = new LocalRestoreEngine({
        settings: {
          parallelJobs: 1,
          binDirectory: BIN_DIRECTORY,
          workDirectory: '/tmp/x',
        },
        openDump: async () => {
          throw new Error('unused');
        },
        provisionerFor: () => ({
          cluster: 'local-test',
          ensure: async () => {
            throw new Error('grants failed');
          },
          drop: d => provisioner.drop(d),
        }),
      });
      const runner = new StepRunner(engine, job);
      await runner.runAll(0, 4);
      const failingRunner = new StepRunner(failing, job);
      failingRunner.state = runner.state;
      await expect(failingRunner.run('grants')).rejects.toThrow(
        'grants failed',
      );
      await failingRunner.cleanup();
      expect(await labels(job.databaseName)).toEqual({ before: 100, after: 1 });
      await expectNoLeftovers(job, [job.databaseName]);
    });

    it('preflight refuses a pg_restore older than the server (QUALITY 26)', async () => {
      const binDirectory = await toolDirectory({ pg_restore: '9.6' });
      try {
        const { job, engine } = await setUp('in-place', {
          settings: { parallelJobs: 1, binDirectory, workDirectory: '/tmp/x' },
        });
        const runner = new StepRunner(engine, job);
        await expect(runner.run('preflight')).rejects.toThrow(
          /^pg_restore \d+ or newer is needed for cluster 'local-test' \(PostgreSQL [\d.]+\); found in dbaas\.restore\.binDirectory \(.*\): 9\.6 at .*pg_restore\. .*install the PostgreSQL \d+ client and set dbaas\.restore\.binDirectory/,
        );
      } finally {
        await rm(binDirectory, { recursive: true, force: true });
      }
    });

    it('preflight refuses when free space is too low', async () => {
      const freeSpace = jest.fn(async () => 1024);
      const { job, engine } = await setUp('in-place', { freeSpace });
      await expect(
        new StepRunner(engine, job).run('preflight'),
      ).rejects.toThrow(
        /Not enough free space on cluster 'local-test': 0.00 GiB free/,
      );
      expect(freeSpace).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'server', cluster: 'local-test' }),
      );
    });

    it('preflight refuses a target that already exists', async () => {
      const { job, engine } = await setUp('new-database');
      const admin = await connect('postgres');
      await admin.query(`CREATE DATABASE "${job.targetDatabaseName}"`);
      await admin.end();
      const runner = new StepRunner(engine, job);
      await expect(runner.run('preflight')).rejects.toThrow(/already exists/);
      await runner.cleanup();
      expect(await databasesLike(job.targetDatabaseName)).toEqual([
        job.targetDatabaseName,
      ]);
    });

    it('never puts the password in the step log or an error', async () => {
      const { job, engine, dumpFile } = await setUp('in-place');
      const runner = new StepRunner(engine, job);
      await runner.run('preflight');
      await truncate(dumpFile, 1000);
      const error = await runner.run('restore').catch(e => e as Error);
      const password = job.cluster.connection.password!;
      expect(String(error)).not.toContain(password);
      expect(runner.messages()).not.toContain(password);
    });
  });
});
