import { access, constants, mkdir } from 'node:fs/promises';
import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError } from '@backstage/errors';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import {
  ClusterSettings,
  MergedDatabaseDefinition,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { PgToolLocator } from '../pgTools';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { AuroraSnapshotCatalog } from './aurora/AuroraSnapshotCatalog';
import { SnapshotsService } from './SnapshotsService';
import { LocalSnapshotCatalog } from './local/LocalSnapshotCatalog';
import { LocalSnapshotMaintenance } from './local/LocalSnapshotMaintenance';
import { DirectoryArchiveStore } from './local/archives/DirectoryArchiveStore';
import { S3ArchiveStore } from './local/archives/S3ArchiveStore';
import {
  checkS3Region,
  createS3Client,
} from './local/archives/S3ArchiveSettings';
import { SnapshotArchiveStore } from './local/archives/SnapshotArchiveStore';
import { ProviderSnapshotCatalog } from './ProviderSnapshotCatalog';
import { SnapshotCatalog } from './SnapshotCatalog';
import {
  readSnapshotSettings,
  SnapshotStorageSettings,
} from './SnapshotSettings';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';
import { DatabaseSnapshotEvidenceStore } from './evidence/DatabaseSnapshotEvidenceStore';
import { SnapshotEvidenceStore } from './evidence/SnapshotEvidence';
import { SnapshotUsage } from './SnapshotUsage';
import { scheduleSnapshots } from './scheduleSnapshots';
import { snapshotSubjectOf } from './snapshotSubjectOf';

export interface Snapshots {
  /** Every snapshot question, dispatched by the cluster's snapshot kind. */
  catalog: SnapshotCatalog;
  /** The same, with the caller's permissions (REST API, MCP actions). */
  service: SnapshotsService;
  /** Snapshot bytes per database, for billing. */
  usage: SnapshotUsage;
  /**
   * Per-table rows (and content hashes) recorded with each logical
   * snapshot, in the dump's own MVCC snapshot; none for Aurora snapshots
   * and for logical snapshots taken before evidence was recorded.
   */
  evidence: SnapshotEvidenceStore;
  /**
   * The provisioner's `beforeDrop` for a self-hosted cluster: a final
   * snapshot; when it fails, it throws and nothing is dropped.
   */
  beforeDrop(
    cluster: ClusterSettings,
  ): (definition: MergedDatabaseDefinition) => Promise<void>;
}

/** The snapshot directory must exist and be writable before anything relies on it. */
async function prepareDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new ForwardedError(
      `dbaas.snapshots.local.directory '${directory}' cannot be created or written`,
      error,
    );
  }
}

/**
 * The store the dumps go to. A directory must be writable at startup; a
 * bucket is not asked anything then (an unreachable bucket must not stop
 * the backend), but a missing region is a startup error.
 */
async function createArchiveStore(
  storage: SnapshotStorageSettings,
): Promise<SnapshotArchiveStore> {
  if (storage.type === 'directory') {
    await prepareDirectory(storage.directory);
    return new DirectoryArchiveStore(storage.directory);
  }
  const client = createS3Client(storage.s3);
  await checkS3Region(client);
  return new S3ArchiveStore({ client, settings: storage.s3 });
}

/**
 * The snapshot piece of the plugin: logical snapshots of self-hosted
 * clusters (with their scheduled task) and Aurora cluster snapshots.
 */
export async function createSnapshots(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  knex: Knex;
  /** One per configured cluster. */
  providers: ClusterProviderBundle[];
  inventory: InventoryStore;
  access: DatabaseAccess;
  /** Ids of snapshots that active restore requests name: never pruned. */
  snapshotsInUse?: () => Promise<ReadonlySet<string>>;
}): Promise<Snapshots> {
  const { config, logger, providers, inventory } = options;
  const clusters = providers.map(p => p.cluster);
  const settings = readSnapshotSettings(config, providers, logger);
  const store = new DatabaseSnapshotStore(options.knex);
  const catalogs: ConstructorParameters<typeof ProviderSnapshotCatalog>[0] = {
    cluster: new AuroraSnapshotCatalog({
      retentionDays: settings.retentionDays,
    }),
  };

  if (settings.local) {
    const archives = await createArchiveStore(settings.local.storage);
    const local = new LocalSnapshotCatalog({
      store,
      archives,
      tools: new PgToolLocator({
        binDirectory: settings.local.binDirectory,
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: settings.retentionDays,
      schedule: settings.schedule.frequency,
      logger,
    });
    catalogs.logical = local;
    await scheduleSnapshots({
      scheduler: options.scheduler,
      settings,
      inventory,
      providers,
      catalog: local,
      maintenance: new LocalSnapshotMaintenance({
        store,
        archives,
        catalog: local,
        logger,
      }),
      snapshotsInUse: options.snapshotsInUse,
      logger,
    });
  }

  const catalog = new ProviderSnapshotCatalog(catalogs);
  return {
    catalog,
    service: new SnapshotsService({
      inventory,
      access: options.access,
      clusters,
      catalog,
      retentionDays: settings.retentionDays,
    }),
    usage: new SnapshotUsage(store, clusters),
    evidence: new DatabaseSnapshotEvidenceStore(options.knex),
    beforeDrop: cluster => async definition => {
      const { databaseName } = deriveDatabaseNames(
        definition.namespace,
        definition.name,
      );
      await catalog.take(
        snapshotSubjectOf({ ...definition, databaseName }, cluster),
        'final',
      );
    },
  };
}
