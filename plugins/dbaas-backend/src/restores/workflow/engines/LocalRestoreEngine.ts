import { InputError } from '@backstage/errors';
import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreStepOutcome,
} from '../RestoreEngine';
import {
  SnapshotDumpFile,
  SnapshotSubject,
} from '../../../snapshots/SnapshotCatalog';
import { PrimaryRestore, PrimaryRestoreOptions } from './PrimaryRestore';
import { toWorkState } from './engineState';

/** Hands out a snapshot's verified dump file (`SnapshotCatalog.openDump`). */
export type OpenDump = (
  subject: SnapshotSubject,
  snapshotId: string,
) => Promise<SnapshotDumpFile>;

export interface LocalRestoreEngineOptions extends PrimaryRestoreOptions {
  openDump: OpenDump;
}

/**
 * Restores on self-hosted clusters from the suite's logical snapshots
 * (`pg_dump --format=custom` files): preflight -> restore into a fresh
 * database -> verify -> (in-place) swap -> grants -> cleanup.
 */
export class LocalRestoreEngine implements RestoreEngine {
  readonly #primary: PrimaryRestore;
  readonly #openDump: OpenDump;

  constructor(options: LocalRestoreEngineOptions) {
    this.#primary = new PrimaryRestore(options);
    this.#openDump = options.openDump;
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
        return done(await this.#primary.restore(context));
      case 'verify':
        return done(await this.#primary.verify(context));
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
    // The catalog checks the file against its checksum; the path is kept
    // so the restore step reads exactly the file that was checked.
    const dump = await this.#openDump(
      {
        namespace: job.namespace,
        name: job.name,
        databaseName: job.databaseName,
        cluster: job.cluster,
      },
      job.snapshotId,
    );
    const state = await this.#primary.preflight(
      context,
      // A restored database takes about the original's room; without the
      // original, a compressed dump expands about threefold.
      originalSize => originalSize ?? dump.sizeBytes * 3,
    );
    await context.log(
      'info',
      `snapshot ${job.snapshotId}: ${dump.path} (${dump.sizeBytes} bytes, ${dump.checksum})`,
    );
    return { ...state, dumpFile: dump.path };
  }
}
