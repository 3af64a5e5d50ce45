import { InputError } from '@backstage/errors';
import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreStepOutcome,
} from '../RestoreEngine';
import {
  SnapshotDump,
  SnapshotSubject,
} from '../../../snapshots/SnapshotCatalog';
import { SnapshotEvidenceStore } from '../../../snapshots/evidence';
import { DumpInput } from './dumpInput';
import { PrimaryRestore, PrimaryRestoreOptions } from './PrimaryRestore';
import { engineState, toWorkState } from './engineState';

/** Hands out a snapshot's checked dump (`SnapshotCatalog.openDump`). */
export type OpenDump = (
  subject: SnapshotSubject,
  snapshotId: string,
) => Promise<SnapshotDump>;

export interface LocalRestoreEngineOptions extends PrimaryRestoreOptions {
  openDump: OpenDump;
  /**
   * The evidence recorded with each snapshot, which the verify step
   * compares the restored copy with exactly. Without it (or for a
   * snapshot that has none) the verify step checks object counts only.
   */
  evidence?: SnapshotEvidenceStore;
}

/**
 * Restores on self-hosted clusters from the suite's logical snapshots
 * (`pg_dump --format=custom` archives): preflight -> restore into a fresh
 * database -> verify -> (in-place) swap -> grants -> cleanup. A dump file
 * is read by pg_restore itself; a dump in object storage is streamed into
 * pg_restore by the restore step and again (its table of contents only)
 * by the verify step.
 */
export class LocalRestoreEngine implements RestoreEngine {
  readonly #primary: PrimaryRestore;
  readonly #openDump: OpenDump;
  readonly #evidence?: SnapshotEvidenceStore;

  constructor(options: LocalRestoreEngineOptions) {
    this.#primary = new PrimaryRestore(options);
    this.#openDump = options.openDump;
    this.#evidence = options.evidence;
  }

  steps(job: RestoreJob): RestoreStep[] {
    return [
      'preflight',
      'restore',
      'verify',
      ...(job.target === 'in-place' ? (['swap'] as const) : []),
      'grants',
      'cleanup',
    ];
  }

  async runStep(
    step: RestoreStep,
    context: RestoreStepContext,
  ): Promise<RestoreStepOutcome> {
    const done = (state: object = {}): RestoreStepOutcome => ({
      kind: 'done',
      state: toWorkState(state),
    });
    switch (step) {
      case 'preflight':
        return done(await this.#preflight(context));
      case 'restore':
        return done(
          await this.#primary.restore(context, await this.#streamed(context)),
        );
      case 'verify':
        return done(
          await this.#primary.verify(
            context,
            await this.#streamed(context),
            await this.#evidence?.get(context.job.snapshotId),
          ),
        );
      case 'swap':
        return done(await this.#primary.swap(context));
      case 'grants':
        return done(await this.#primary.grants(context));
      case 'cleanup':
        await this.#primary.removeWorkFolder(context);
        return done();
      default:
        throw new InputError(
          `Step '${step}' is not part of a restore on a self-hosted cluster`,
        );
    }
  }

  async cleanup(context: RestoreStepContext): Promise<void> {
    await this.#primary.cleanUpPrimary(context);
  }

  async dropSafetyCopy(
    job: RestoreJob,
    safetyCopyDatabaseName: string,
  ): Promise<void> {
    await this.#primary.dropSafetyCopy(job, safetyCopyDatabaseName);
  }

  async #preflight(context: RestoreStepContext) {
    const { job } = context;
    // The catalog checks a file against its checksum (the path is kept so
    // the restore step reads exactly the file that was checked), an object
    // by its size and sha256 tag.
    const dump = await this.#open(context);
    const state = await this.#primary.preflight(
      context,
      // A restored database takes about the original's room; without the
      // original, a compressed dump expands about threefold.
      originalSize => originalSize ?? dump.sizeBytes * 3,
    );
    await context.log(
      'info',
      `snapshot ${job.snapshotId}: ${dump.location} (${dump.sizeBytes} bytes, ${dump.checksum})`,
    );
    return { ...state, ...(dump.path ? { dumpFile: dump.path } : {}) };
  }

  #open(context: RestoreStepContext): Promise<SnapshotDump> {
    const { job } = context;
    return this.#openDump(
      {
        namespace: job.namespace,
        name: job.name,
        databaseName: job.databaseName,
        cluster: job.cluster,
      },
      job.snapshotId,
    );
  }

  /**
   * A snapshot without a local file (object storage): opened again by each
   * step, so a step re-run on another replica after a restart reads the
   * same object, checked again.
   */
  async #streamed(context: RestoreStepContext): Promise<DumpInput | undefined> {
    if (engineState(context.state).dumpFile) {
      return undefined;
    }
    const dump = await this.#open(context);
    return { location: dump.location, open: signal => dump.read(signal) };
  }
}
