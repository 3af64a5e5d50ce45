import { InputError } from '@backstage/errors';
import { DatabaseMode } from '@dbaas/plugin-dbaas-common';
import { ClusterSettings, errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { PgToolLocator } from '../pgTools';
import {
  RestoreJob,
  RestoreStepContext,
} from '../restores/workflow/RestoreEngine';
import { AdminSession } from '../restores/workflow/engines/AdminSession';
import { DumpInput } from '../restores/workflow/engines/dumpInput';
import { EngineState } from '../restores/workflow/engines/engineState';
import {
  defaultFreeSpace,
  FreeSpaceReader,
  preflightPrimary,
} from '../restores/workflow/engines/primaryPreflight';
import { restoreIntoFreshDatabase } from '../restores/workflow/engines/restoreIntoFreshDatabase';
import { verifyRestoredDatabase } from '../restores/workflow/engines/verifyRestore';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { SnapshotEvidenceStore } from '../snapshots/evidence';
import { snapshotSubjectOf } from '../snapshots/snapshotSubjectOf';
import { isDrillScratchName } from './drillNames';
import { DrillLogEntry } from './DrillStore';

/** As the restore preflight: room for the copy and a fifth more. */
const SPACE_MARGIN = 1.2;

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

const CHECKS = {
  evidence: "exact rows and content hashes as in the snapshot's evidence",
  'evidence-rows': "exact rows as in the snapshot's evidence",
  'table-of-contents':
    "objects as in the dump's table of contents (the snapshot has no evidence to compare rows with)",
};

/** What verification found, in words, for the drill's record. */
function describeVerification(
  v: EngineState['verification'] | undefined,
): string {
  if (!v) {
    return 'verified';
  }
  return `${v.tables} tables, ${v.rows} rows: ${
    CHECKS[v.check ?? 'table-of-contents']
  }; ${v.sample}`;
}

/** What one drill restores, and where to. */
export interface DrillPlan {
  id: string;
  namespace: string;
  name: string;
  databaseName: string;
  mode: DatabaseMode;
  cluster: ClusterSettings;
  snapshotId: string;
  /** `<database>_drill_<tag>`: the only database the drill creates. */
  scratchDatabase: string;
}

/** What a drill that passed measured. */
export interface DrillMeasurement {
  /** Preflight, restore and verification: what a restore takes. */
  durationMs: number;
  restoredSizeBytes: number;
  verification: string;
}

/**
 * One restore drill on a self-hosted cluster, with the restore engine's
 * own steps: preflight (pg_restore version, the database's roles, free
 * space for a copy of it), `restoreIntoFreshDatabase` into the scratch
 * database, and `verifyRestoredDatabase` (the dump's table of contents
 * against the restored objects, row counts, a read as the database's owner
 * role). The scratch database is dropped whatever happens. The live
 * database is only read by preflight (its size, its roles); nothing is
 * ever written to it or renamed.
 */
export class DrillRunner {
  readonly #tools: PgToolLocator;
  readonly #freeSpace: FreeSpaceReader;

  constructor(
    private readonly options: {
      catalog: SnapshotCatalog;
      /** `pg_restore --jobs` for a dump file (`dbaas.restore.parallelJobs`). */
      parallelJobs: number;
      /** `dbaas.restore.binDirectory` (or the snapshots' one), as restores. */
      binDirectory?: string;
      freeSpace?: FreeSpaceReader;
      /**
       * The evidence recorded with each snapshot (exact rows, content
       * hashes): with it, verification compares every table exactly, as a
       * restore's verify step does.
       */
      evidence?: SnapshotEvidenceStore;
    },
  ) {
    this.#tools = new PgToolLocator({
      binDirectory: options.binDirectory,
      setting: 'dbaas.restore.binDirectory',
    });
    this.#freeSpace = options.freeSpace ?? defaultFreeSpace;
  }

  /**
   * Runs the drill; throws (after dropping the scratch copy) when any part
   * fails. `log` receives the step log as the restore engine writes it.
   */
  async run(
    plan: DrillPlan,
    log: (entry: DrillLogEntry) => void,
    signal: AbortSignal,
  ): Promise<DrillMeasurement> {
    if (!isDrillScratchName(plan.scratchDatabase)) {
      // Never let a drill write into a database it did not name itself.
      throw new InputError(
        `'${plan.scratchDatabase}' is not a drill's scratch database name`,
      );
    }
    const job: RestoreJob = {
      id: plan.id,
      namespace: plan.namespace,
      name: plan.name,
      databaseName: plan.databaseName,
      mode: plan.mode,
      cluster: plan.cluster,
      snapshotId: plan.snapshotId,
      // The in-place path restores into a fresh database owned by the
      // database's admin role; a drill stops before any swap.
      target: 'in-place',
      targetDatabaseName: plan.databaseName,
    };
    const context: RestoreStepContext = {
      job,
      state: {},
      signal,
      log: async (level, message) => {
        log({ at: new Date().toISOString(), level, message });
      },
    };
    const started = Date.now();
    try {
      const dump = await this.options.catalog.openDump(
        snapshotSubjectOf(plan, plan.cluster),
        plan.snapshotId,
      );
      await context.log(
        'info',
        `snapshot ${plan.snapshotId}: ${dump.location} (${dump.sizeBytes} bytes, ${dump.checksum})`,
      );
      const { binDirectory } = await preflightPrimary({
        context,
        // The copy takes about the live database's room.
        expectedSizeBytes: size => size ?? dump.sizeBytes * 3,
        tools: this.#tools,
        freeSpace: this.#freeSpace,
        provisioner: undefined,
      });
      const pgRestore = () => this.#tools.at(binDirectory!, 'pg_restore');
      // A dump in object storage is streamed anew by each step reading it.
      const input: DumpInput = dump.path
        ? { file: dump.path }
        : { location: dump.location, open: s => dump.read(s) };
      await restoreIntoFreshDatabase({
        context,
        into: plan.scratchDatabase,
        dump: input,
        parallelJobs: this.options.parallelJobs,
        provisioner: () => {
          throw new InputError('A drill never provisions a database');
        },
        pgRestore,
      });
      const verified = await verifyRestoredDatabase({
        context,
        database: plan.scratchDatabase,
        dump: input,
        pgRestore,
        evidence: await this.options.evidence?.get(plan.snapshotId),
      });
      const durationMs = Date.now() - started;
      const restoredSizeBytes = await this.#size(plan);
      return {
        durationMs,
        restoredSizeBytes,
        verification: describeVerification(verified.verification),
      };
    } finally {
      // A copy that cannot be dropped now is dropped by the next cycle's
      // cleanup (no running drill owns it then); the outcome stands.
      await this.dropScratch(plan.cluster, plan.scratchDatabase).then(
        dropped =>
          dropped &&
          log({
            at: new Date().toISOString(),
            level: 'info',
            message: `dropped the scratch database '${plan.scratchDatabase}'`,
          }),
        error =>
          log({
            at: new Date().toISOString(),
            level: 'warning',
            message: `could not drop the scratch database '${
              plan.scratchDatabase
            }' (the next cycle will): ${errorMessageLine(error)}`,
          }),
      );
    }
  }

  /**
   * Why the cluster has no room for a copy of the database now (the free
   * space preflight asks for: its size and a fifth more), or undefined
   * when it has, or when free space cannot be read from here (a remote
   * server: then only `maxSnapshotSize` bounds drills).
   */
  async spaceProblem(
    cluster: ClusterSettings,
    databaseName: string,
  ): Promise<string | undefined> {
    const { size, dataDirectory } = await AdminSession.with(
      cluster.connection,
      async s => ({
        size: (await s.databases([databaseName])).get(databaseName)?.sizeBytes,
        dataDirectory: await s.client
          .query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)
          .then(r => r.rows[0].d)
          .catch(() => undefined),
      }),
    );
    const free = await this.#freeSpace({
      kind: 'server',
      cluster: cluster.name,
      dataDirectory,
    });
    const needed = Math.ceil((size ?? 0) * SPACE_MARGIN);
    if (free === undefined || free >= needed) {
      return undefined;
    }
    return `not enough free space on cluster '${
      cluster.name
    }' for a copy: ${gib(free)} free, ${gib(needed)} needed`;
  }

  /** Drops a drill's scratch database; refuses any other name. */
  async dropScratch(cluster: ClusterSettings, name: string): Promise<boolean> {
    if (!isDrillScratchName(name)) {
      throw new InputError(`'${name}' is not a drill's scratch database`);
    }
    return AdminSession.with(cluster.connection, s => s.dropDatabase(name));
  }

  /** Scratch databases present on a cluster (left by crashed drills, or running). */
  async listScratch(cluster: ClusterSettings): Promise<string[]> {
    return AdminSession.with(cluster.connection, async s => {
      const { rows } = await s.client.query<{ datname: string }>(
        `SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE '%\\_drill\\_%'`,
      );
      return rows.map(r => r.datname).filter(isDrillScratchName);
    });
  }

  async #size(plan: DrillPlan): Promise<number> {
    return AdminSession.with(plan.cluster.connection, async s => {
      const found = await s.databases([plan.scratchDatabase]);
      return found.get(plan.scratchDatabase)?.sizeBytes ?? 0;
    });
  }
}
