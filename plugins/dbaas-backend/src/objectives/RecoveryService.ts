import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DatabaseRecoveryResponse,
  DatabaseRecoverySummary,
  DatabaseRef,
  dbaasDatabaseReadPermission,
} from '@dbaas/plugin-dbaas-common';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { DrillHistory } from '../drills/createDrills';
import {
  DatabaseSummaryRecord,
  InventoryStore,
} from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { recoverySummary, rpoObjective, rtoObjective } from './objectiveStatus';
import { ObjectiveSettings } from './ObjectiveSettings';
import {
  RecoveryStatusRecord,
  RecoveryStatusStore,
} from './RecoveryStatusStore';

/** Drills shown per database. */
const DRILLS_SHOWN = 10;

/** What `DatabasesService` asks for the listing's `recovery` field. */
export interface RecoverySummaries {
  summaries(
    records: DatabaseSummaryRecord[],
  ): Promise<Map<string, DatabaseRecoverySummary>>;
}

/**
 * What callers may see of recovery objectives: the summaries a listing
 * shows (for records the caller was already allowed to read), and one
 * database's objectives, measurements and drills behind the same
 * permission as reading the database (`dbaas.database.read`).
 */
export class RecoveryService implements RecoverySummaries {
  #all?: { version: string; rows: Map<string, RecoveryStatusRecord> };

  constructor(
    private readonly options: {
      inventory: InventoryStore;
      access: DatabaseAccess;
      store: RecoveryStatusStore;
      settings: Pick<ObjectiveSettings, 'targetsFor'>;
      clusters: ClusterSettings[];
      drills: DrillHistory;
      now?: () => Date;
    },
  ) {}

  /** Only `ready` databases on a configured cluster have objectives. */
  async summaries(
    records: DatabaseSummaryRecord[],
  ): Promise<Map<string, DatabaseRecoverySummary>> {
    const result = new Map<string, DatabaseRecoverySummary>();
    const eligible = records.filter(
      r => r.status === 'ready' && this.#cluster(r.cluster),
    );
    if (eligible.length === 0) {
      return result;
    }
    const stored = await this.#stored(eligible);
    const now = this.#now();
    for (const record of eligible) {
      const key = `${record.namespace}/${record.name}`;
      result.set(
        key,
        recoverySummary(
          stored.get(key),
          this.options.settings.targetsFor(
            this.#cluster(record.cluster)!.environment,
            record.mode,
          ),
          now,
        ),
      );
    }
    return result;
  }

  async recovery(
    ref: DatabaseRef,
    credentials: BackstageCredentials,
  ): Promise<DatabaseRecoveryResponse> {
    checkRef(ref);
    await this.options.access.assertDatabase(
      dbaasDatabaseReadPermission,
      ref,
      credentials,
    );
    const record = await this.options.inventory.getDatabase(ref);
    if (!record) {
      throw new NotFoundError(
        `Database ${ref.namespace}/${ref.name} is not in the inventory`,
      );
    }
    const cluster = this.#cluster(record.cluster);
    const targets = this.options.settings.targetsFor(
      cluster?.environment,
      record.mode,
    );
    const [stored, drills] = await Promise.all([
      this.options.store.get(ref),
      this.options.drills.list(ref, DRILLS_SHOWN),
    ]);
    const notReady = notReadyReason(record.status, cluster !== undefined);
    const rpo = rpoObjective(
      notReady ? undefined : stored,
      targets,
      this.#now(),
    );
    const rto = rtoObjective(notReady ? undefined : stored, targets);
    const unavailable = this.options.drills.unavailableReason(cluster?.name);
    return {
      namespace: record.namespace,
      name: record.name,
      databaseName: record.databaseName,
      ...(record.cluster ? { cluster: record.cluster } : {}),
      ...(cluster ? { environment: cluster.environment } : {}),
      mode: record.mode,
      rpo: notReady ? { ...rpo, reason: notReady } : rpo,
      rto: notReady ? { ...rto, reason: notReady } : rto,
      drills,
      ...(unavailable ? { drillsUnavailable: unavailable } : {}),
    };
  }

  /**
   * The stored findings of these databases. A handful of namespaces (one
   * tenant's listing) are read by the primary key's prefix; a larger
   * listing takes every row, kept until the table changes (one cheap
   * aggregate tells: the rows change only when the objectives task runs),
   * since reading 5,000 rows costs more than the rest of `GET /databases`.
   */
  async #stored(
    records: DatabaseSummaryRecord[],
  ): Promise<Map<string, RecoveryStatusRecord>> {
    const { store } = this.options;
    const namespaces = [...new Set(records.map(r => r.namespace))];
    if (namespaces.length <= 50) {
      return byRef(await store.listForSummaries(namespaces));
    }
    const version = await store.version();
    if (this.#all?.version !== version) {
      this.#all = { version, rows: byRef(await store.listForSummaries()) };
    }
    return this.#all.rows;
  }

  #cluster(name: string | undefined): ClusterSettings | undefined {
    return name ? this.options.clusters.find(c => c.name === name) : undefined;
  }

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function byRef(
  rows: RecoveryStatusRecord[],
): Map<string, RecoveryStatusRecord> {
  return new Map(rows.map(r => [`${r.namespace}/${r.name}`, r]));
}

/** Why a database's objectives cannot be measured yet, if they cannot. */
function notReadyReason(
  status: string,
  hasCluster: boolean,
): string | undefined {
  if (status !== 'ready') return `the database is ${status}, not ready`;
  if (!hasCluster) return 'its cluster is not configured';
  return undefined;
}
