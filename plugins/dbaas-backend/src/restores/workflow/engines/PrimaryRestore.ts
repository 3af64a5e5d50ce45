import { rm, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { ConflictError, ForwardedError, InputError } from '@backstage/errors';
import {
  ClusterConnection,
  ClusterSettings,
  DatabaseProvisioner,
  openClusterClient,
  quoteIdent,
} from '@dbaas/plugin-dbaas-node';
import { PgTool, PgToolLocator, runPgTool } from '../../../pgTools';
import { RestoreJob, RestoreStepContext } from '../RestoreEngine';
import { AdminSession } from './AdminSession';
import { rollBackSwap, swapDatabases } from './DatabaseSwap';
import { EngineState, engineState } from './engineState';
import { RestoreEngineSettings } from './RestoreEngineSettings';
import { restoreNames, targetDefinition, targetRoles } from './restoreNames';
import {
  compareCounts,
  countDatabaseObjects,
  countRows,
  countTocObjects,
  sampleQuery,
} from './verifyRestore';

/**
 * Where free space is needed: on the database server (the restored copy
 * lives next to the original) or in the work directory (Aurora dumps).
 */
export type SpaceCheck =
  | { kind: 'server'; cluster: string; dataDirectory?: string }
  | { kind: 'work-directory'; path: string };

/** Free bytes at a place, or undefined when it cannot be told from here. */
export type FreeSpaceReader = (
  check: SpaceCheck,
) => Promise<number | undefined>;

/** Free space is required for the expected size times this. */
const SPACE_MARGIN = 1.2;

const defaultFreeSpace: FreeSpaceReader = async check => {
  const path = check.kind === 'server' ? check.dataDirectory : check.path;
  if (!path) {
    return undefined;
  }
  try {
    const fs = await statfs(path);
    return fs.bavail * fs.bsize;
  } catch {
    // A remote server's data directory is not on this machine.
    return undefined;
  }
};

export interface PrimaryRestoreOptions {
  settings: RestoreEngineSettings;
  /**
   * The provisioner of a cluster: creates a `new-database` target's roles,
   * secrets and grants, and re-applies grants after an in-place restore.
   * Undefined for clusters the suite does not provision (Aurora, where the
   * chart does): there `new-database` restores are refused in preflight.
   */
  provisionerFor(cluster: ClusterSettings): DatabaseProvisioner | undefined;
  /** Injectable for tests: free bytes at a place. */
  freeSpace?: FreeSpaceReader;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * The part of a restore that happens on the primary cluster, the same for
 * self-hosted and Aurora clusters: pg_restore of a custom-format dump into
 * a fresh database, verification, the swap for in-place restores, grants,
 * and the cleanup of all of it.
 */
export class PrimaryRestore {
  readonly #options: PrimaryRestoreOptions;
  readonly #tools: PgToolLocator;
  readonly #freeSpace: FreeSpaceReader;

  constructor(options: PrimaryRestoreOptions) {
    this.#options = options;
    this.#tools = new PgToolLocator({
      binDirectory: options.settings.binDirectory,
      setting: 'dbaas.restore.binDirectory',
    });
    this.#freeSpace = options.freeSpace ?? defaultFreeSpace;
  }

  get settings(): RestoreEngineSettings {
    return this.#options.settings;
  }

  /** Where pg_restore and pg_dump are found, and their version check. */
  get tools(): PgToolLocator {
    return this.#tools;
  }

  get freeSpace(): FreeSpaceReader {
    return this.#freeSpace;
  }

  workFolder(state: EngineState, job: RestoreJob): string {
    const names = state.names ?? restoreNames(job);
    return join(this.#options.settings.workDirectory, names.workFolder);
  }

  /**
   * Checks on the primary, before anything is created: the pg_restore
   * version, the target, the roles, and free space. Returns the names and
   * facts the later steps rely on.
   */
  async preflight(
    context: RestoreStepContext,
    expectedSizeBytes: (primarySize: number | undefined) => number,
  ): Promise<EngineState> {
    const { job } = context;
    const names = restoreNames(job);
    const provisioner = this.#options.provisionerFor(job.cluster);
    return AdminSession.with(job.cluster.connection, async session => {
      const server = await session.serverVersion();
      const tool = await this.#tools.find('pg_restore', {
        versionNum: server.num,
        description: `cluster '${job.cluster.name}' (PostgreSQL ${server.version})`,
      });
      const binDirectory = dirname(tool.path);
      await context.log(
        'info',
        `pg_restore ${tool.version} (${binDirectory}) for PostgreSQL ${server.version} on cluster '${job.cluster.name}'`,
      );

      const existing = await session.databases([
        job.databaseName,
        names.target,
      ]);
      if (job.target === 'new-database') {
        if (existing.has(names.target)) {
          throw new ConflictError(
            `Database '${names.target}' already exists on cluster '${job.cluster.name}'; choose another target name`,
          );
        }
        if (!provisioner) {
          throw new InputError(
            `Cluster '${job.cluster.name}' has no provisioner to create the roles of '${names.target}'; restore in place, or define the database in the apps repository first`,
          );
        }
      } else {
        if (!existing.has(job.databaseName)) {
          throw new InputError(
            `Database '${job.databaseName}' does not exist on cluster '${job.cluster.name}'; restore into a new database instead`,
          );
        }
        const admin = targetRoles(job).admin;
        if (!(await session.roleExists(admin))) {
          throw new InputError(
            `Role '${admin}' does not exist on cluster '${job.cluster.name}'; the restored objects could not be given their owner`,
          );
        }
      }

      const needed = Math.ceil(
        expectedSizeBytes(existing.get(job.databaseName)?.sizeBytes) *
          SPACE_MARGIN,
      );
      const dataDirectory = await session.client
        .query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)
        .then(r => r.rows[0].d)
        .catch(() => undefined);
      const free = await this.#freeSpace({
        kind: 'server',
        cluster: job.cluster.name,
        dataDirectory,
      });
      if (free === undefined) {
        await context.log(
          'info',
          `free space on cluster '${
            job.cluster.name
          }' cannot be checked from here (${gib(needed)} needed)`,
        );
      } else if (free < needed) {
        throw new InputError(
          `Not enough free space on cluster '${job.cluster.name}': ${gib(
            free,
          )} free, ${gib(needed)} needed for the restored copy`,
        );
      }
      return {
        names,
        binDirectory,
        targetReserved: job.target === 'new-database',
      };
    });
  }

  /** The database pg_restore writes into. */
  restoredDatabase(job: RestoreJob, state: EngineState): string {
    const names = state.names ?? restoreNames(job);
    return job.target === 'in-place' ? names.scratch : names.target;
  }

  /**
   * pg_restore into a fresh database. Whatever an interrupted attempt left
   * in it is dropped first, so a re-run starts from the same empty place.
   */
  async restore(context: RestoreStepContext): Promise<EngineState> {
    const { job } = context;
    const state = this.#requireState(context);
    const { binDirectory, dumpFile } = state;
    if (!binDirectory || !dumpFile) {
      throw new InputError('The restore step needs preflight (and the dump)');
    }
    const into = this.restoredDatabase(job, state);
    if (job.target === 'new-database' && !state.targetReserved) {
      // Only a target preflight saw absent is ours to drop and recreate.
      throw new InputError(`'${into}' was not reserved by preflight`);
    }
    const roles = targetRoles(job);
    const connection = job.cluster.connection;

    await AdminSession.with(connection, async session => {
      if (await session.dropDatabase(into)) {
        await context.log(
          'warning',
          `dropped '${into}' left by an interrupted attempt`,
        );
      }
      if (job.target === 'in-place') {
        await session.createDatabase(into, roles.admin);
        // Only the database's roles may connect, from the first moment it
        // could be swapped in (the provisioner re-checks in grants).
        const db = quoteIdent(into);
        await session.client.query(
          `REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC`,
        );
        await session.client.query(
          `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${[
            roles.admin,
            roles.write,
            roles.read,
          ]
            .map(quoteIdent)
            .join(', ')}`,
        );
      }
    });
    if (job.target === 'new-database') {
      // Roles, secrets, the database owned by -admin, and default
      // privileges, so the restored tables are readable by -read and
      // writable by -write as soon as they exist.
      const provisioner = this.#provisioner(job);
      await provisioner.ensure(targetDefinition(job));
      await context.log(
        'info',
        `created '${into}' with roles ${roles.read}, ${roles.write}, ${roles.admin}`,
      );
    }
    await AdminSession.with(connection, async session => {
      if (!(await session.canSetRole(roles.admin))) {
        // pg_restore --role needs it; a CREATEROLE admin (Aurora's master
        // user) may grant it to itself.
        await session.client.query(
          `GRANT ${quoteIdent(roles.admin)} TO CURRENT_USER`,
        );
        await context.log(
          'info',
          `granted ${roles.admin} to the cluster's admin user for pg_restore --role`,
        );
      }
    });

    const jobs = this.#options.settings.parallelJobs;
    const args = [
      '--format=custom',
      // Without --dbname pg_restore would print SQL instead of connecting.
      `--dbname=${into}`,
      // Never prompt: the password comes from the private .pgpass only.
      '--no-password',
      // Objects are created by the target's admin role, so it owns them,
      // as when the application created them.
      '--no-owner',
      `--role=${roles.admin}`,
      // The original's GRANTs name its own roles: useless (and failing)
      // in a new database, whose grants the provisioner sets.
      ...(job.target === 'new-database' ? ['--no-privileges'] : []),
      // A restored copy must never start replicating or publishing.
      '--no-subscriptions',
      '--no-publications',
      '--no-tablespaces',
      '--no-security-labels',
      '--exit-on-error',
      `--jobs=${jobs}`,
      dumpFile,
    ];
    const started = Date.now();
    await runPgTool({
      tool: await this.#pgRestore(state),
      args,
      what: `pg_restore into '${into}'`,
      target: {
        connection,
        database: into,
        applicationName: 'backstage-dbaas-restore',
      },
      signal: context.signal,
    });
    await context.log(
      'info',
      `pg_restore into '${into}' finished (exit code 0, ${jobs} parallel job(s), ${Math.round(
        (Date.now() - started) / 1000,
      )} s)`,
    );
    return { restored: true };
  }

  /** Object counts against the dump's table of contents, rows, a sample. */
  async verify(context: RestoreStepContext): Promise<EngineState> {
    const { job } = context;
    const state = this.#requireState(context);
    const database = this.restoredDatabase(job, state);
    const list = await runPgTool({
      tool: await this.#pgRestore(state),
      args: ['--list', state.dumpFile!],
      what: 'pg_restore --list',
      signal: context.signal,
    });
    const expected = countTocObjects(list);
    const client = await this.#connect(job.cluster.connection, database);
    try {
      const actual = await countDatabaseObjects(client);
      const problems = compareCounts(expected, actual);
      if (problems.length > 0) {
        throw new InputError(
          `Verification of '${database}' failed: ${problems.join('; ')}`,
        );
      }
      const rows = await countRows(client);
      const sample = await sampleQuery(client, targetRoles(job).admin, rows[0]);
      const total = rows.reduce((sum, t) => sum + t.rows, 0);
      const largest = rows
        .slice(0, 5)
        .map(t => `${t.schema}.${t.name} ${t.rows}`)
        .join(', ');
      await context.log(
        'info',
        `verified '${database}': ${actual.tables} tables, ${
          actual.views
        } views, ${actual.sequences} sequences, ${
          actual.indexes
        } indexes as in the snapshot; ${total} rows${
          largest ? ` (${largest})` : ''
        }; ${sample}`,
      );
      return { verification: { tables: actual.tables, rows: total, sample } };
    } finally {
      await client.end().catch(() => {});
    }
  }

  async swap(context: RestoreStepContext): Promise<EngineState> {
    const { job } = context;
    const names = this.#requireState(context).names!;
    const result = await AdminSession.with(job.cluster.connection, session =>
      swapDatabases(
        session,
        {
          original: job.databaseName,
          scratch: names.scratch,
          safetyCopy: names.safetyCopy,
        },
        message => context.log('info', message),
      ),
    );
    if (result === 'already-swapped') {
      await context.log('info', 'the swap had already been done');
    }
    return { swapped: true, safetyCopyDatabaseName: names.safetyCopy };
  }

  async grants(context: RestoreStepContext): Promise<EngineState> {
    const { job } = context;
    const provisioner = this.#options.provisionerFor(job.cluster);
    if (!provisioner) {
      // Aurora in-place: the snapshot's own grants were restored with the
      // objects; roles and their grants are the chart's.
      await context.log(
        'info',
        `grants restored from the snapshot; cluster '${job.cluster.name}' has no provisioner to re-apply them`,
      );
      return { grantsDone: true };
    }
    const { changes } = await provisioner.ensure(targetDefinition(job));
    await context.log(
      'info',
      changes.length > 0
        ? `grants on '${job.targetDatabaseName}': ${changes.join('; ')}`
        : `grants on '${job.targetDatabaseName}' were already in place`,
    );
    return { grantsDone: true };
  }

  /** The success path's cleanup: this job's dump and CA files. */
  async removeWorkFolder(context: RestoreStepContext): Promise<void> {
    const folder = this.workFolder(engineState(context.state), context.job);
    await rm(folder, { recursive: true, force: true });
  }

  /**
   * After a failure: puts the original back, drops what this job created
   * on the primary. Never touches a database this job did not create.
   */
  async cleanUpPrimary(context: RestoreStepContext): Promise<void> {
    const { job } = context;
    const state = engineState(context.state);
    const names = state.names ?? restoreNames(job);
    const log = (message: string) => context.log('info', message);
    if (job.target === 'in-place') {
      await AdminSession.with(job.cluster.connection, session =>
        rollBackSwap(
          session,
          {
            original: job.databaseName,
            scratch: names.scratch,
            safetyCopy: names.safetyCopy,
          },
          // Once grants are done the restore has succeeded: a failure
          // after that (removing files) keeps the restored data.
          { undoCompletedSwap: !state.grantsDone },
          log,
        ),
      );
    } else if (state.targetReserved && !state.grantsDone) {
      const dropped = await AdminSession.with(job.cluster.connection, s =>
        s.dropDatabase(names.target),
      );
      if (dropped) {
        await log(`dropped the unfinished database '${names.target}'`);
      }
      // The database is gone, so only its roles and secrets go now.
      const provisioner = this.#options.provisionerFor(job.cluster);
      if (provisioner) {
        const { changes } = await provisioner.drop(targetDefinition(job));
        if (changes.length > 0) {
          await log(changes.join('; '));
        }
      }
    }
    await this.removeWorkFolder(context);
  }

  /** Drops a due safety copy; refuses any name that is not one. */
  async dropSafetyCopy(job: RestoreJob, name: string): Promise<boolean> {
    if (name !== restoreNames(job).safetyCopy) {
      throw new InputError(
        `'${name}' is not the safety copy of restore ${job.id}; refusing to drop it`,
      );
    }
    return AdminSession.with(job.cluster.connection, s => s.dropDatabase(name));
  }

  /** Size of a file, for space estimates. */
  async fileSize(path: string): Promise<number> {
    return (await stat(path)).size;
  }

  #requireState(context: RestoreStepContext): EngineState {
    const state = engineState(context.state);
    if (!state.names) {
      throw new InputError(
        `Restore ${context.job.id} has no preflight state; run preflight first`,
      );
    }
    return state;
  }

  /** The pg_restore preflight chose. */
  #pgRestore(state: EngineState): Promise<PgTool> {
    if (!state.binDirectory) {
      throw new InputError('pg_restore needs preflight first');
    }
    return this.#tools.at(state.binDirectory, 'pg_restore');
  }

  #provisioner(job: RestoreJob): DatabaseProvisioner {
    const provisioner = this.#options.provisionerFor(job.cluster);
    if (!provisioner) {
      throw new InputError(
        `Cluster '${job.cluster.name}' has no provisioner for new databases`,
      );
    }
    return provisioner;
  }

  async #connect(
    connection: ClusterConnection,
    database: string,
  ): Promise<Client> {
    return openClusterClient(connection, {
      database,
      applicationName: 'backstage-dbaas-restore',
    }).catch(error => {
      throw new ForwardedError(
        `Could not connect to '${database}' to verify it`,
        error,
      );
    });
  }
}
