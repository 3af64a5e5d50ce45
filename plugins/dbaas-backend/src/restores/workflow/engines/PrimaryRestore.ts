import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '@backstage/errors';
import { ClusterSettings, DatabaseProvisioner } from '@dbaas/plugin-dbaas-node';
import { PgTool, PgToolLocator } from '../../../pgTools';
import { SnapshotEvidence } from '../../../snapshots/evidence';
import { RestoreJob, RestoreStepContext } from '../RestoreEngine';
import { AdminSession } from './AdminSession';
import { rollBackSwap, swapDatabases } from './DatabaseSwap';
import { DumpInput } from './dumpInput';
import { EngineState, engineState } from './engineState';
import {
  defaultFreeSpace,
  FreeSpaceReader,
  preflightPrimary,
} from './primaryPreflight';
import { RestoreEngineSettings } from './RestoreEngineSettings';
import { restoreIntoFreshDatabase } from './restoreIntoFreshDatabase';
import { restoreNames, targetDefinition } from './restoreNames';
import { verifyRestoredDatabase } from './verifyRestore';

export type { FreeSpaceReader, SpaceCheck } from './primaryPreflight';

export interface PrimaryRestoreOptions {
  settings: RestoreEngineSettings;
  /**
   * The provisioner of a cluster: creates a `new-database` target's roles,
   * secrets and grants, and re-applies grants after an in-place restore.
   * Undefined for clusters the suite does not provision (Aurora, where the
   * chart does): their in-place restores keep the snapshot's grants.
   */
  provisionerFor(cluster: ClusterSettings): DatabaseProvisioner | undefined;
  /**
   * The provisioner that creates a `new-database` target's roles, secrets
   * and grants, and drops them after a failure. Aurora has one although it
   * has no `provisionerFor` (the chart's roles are never re-applied).
   * @defaultValue provisionerFor
   */
  newDatabaseProvisionerFor?(
    cluster: ClusterSettings,
  ): DatabaseProvisioner | undefined;
  /** Injectable for tests: free bytes at a place. */
  freeSpace?: FreeSpaceReader;
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
    return preflightPrimary({
      context,
      expectedSizeBytes,
      tools: this.#tools,
      freeSpace: this.#freeSpace,
      provisioner: this.#provisionerOf(context.job),
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
   * It reads the dump file preflight recorded (`dumpFile`) or, without
   * one, `streamed` (a dump in object storage).
   */
  async restore(
    context: RestoreStepContext,
    streamed?: DumpInput,
  ): Promise<EngineState> {
    const { job } = context;
    const state = this.#requireState(context);
    const { binDirectory } = state;
    const dump = dumpOf(state, streamed);
    if (!binDirectory || !dump) {
      throw new InputError('The restore step needs preflight (and the dump)');
    }
    const into = this.restoredDatabase(job, state);
    if (job.target === 'new-database' && !state.targetReserved) {
      // Only a target preflight saw absent is ours to drop and recreate.
      throw new InputError(`'${into}' was not reserved by preflight`);
    }
    await restoreIntoFreshDatabase({
      context,
      into,
      dump,
      parallelJobs: this.#options.settings.parallelJobs,
      provisioner: () => this.#provisioner(job),
      pgRestore: () => this.#pgRestore(state),
    });
    return { restored: true };
  }

  /**
   * Object counts against the dump's table of contents, a sample, and the
   * rows: exactly against `evidence` (or, without it, the evidence the
   * dump step kept in the state), else counted only.
   */
  async verify(
    context: RestoreStepContext,
    streamed?: DumpInput,
    evidence?: SnapshotEvidence,
  ): Promise<EngineState> {
    const { job } = context;
    const state = this.#requireState(context);
    const dump = dumpOf(state, streamed);
    if (!dump) {
      throw new InputError('The verify step needs the dump');
    }
    return verifyRestoredDatabase({
      context,
      database: this.restoredDatabase(job, state),
      dump,
      pgRestore: () => this.#pgRestore(state),
      evidence: evidence ?? state.evidence,
    });
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
    const provisioner = this.#provisionerOf(job);
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
      const provisioner = this.#provisionerOf(job);
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

  /** The provisioner of this job's target: a new database's, or the cluster's. */
  #provisionerOf(job: RestoreJob): DatabaseProvisioner | undefined {
    const options = this.#options;
    return job.target === 'new-database' && options.newDatabaseProvisionerFor
      ? options.newDatabaseProvisionerFor(job.cluster)
      : options.provisionerFor(job.cluster);
  }

  #provisioner(job: RestoreJob): DatabaseProvisioner {
    const provisioner = this.#provisionerOf(job);
    if (!provisioner) {
      throw new InputError(
        `Cluster '${job.cluster.name}' has no provisioner for new databases`,
      );
    }
    return provisioner;
  }
}

/** The dump file preflight recorded, else the streamed dump. */
function dumpOf(
  state: EngineState,
  streamed: DumpInput | undefined,
): DumpInput | undefined {
  return state.dumpFile ? { file: state.dumpFile } : streamed;
}
