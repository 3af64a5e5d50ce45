import { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterCredentialRotator } from '../rotation/CredentialRotators';
import type {
  CapacityReader,
  ClusterObserver,
  ClusterSettings,
  DatabaseProvisioner,
  DatabaseSecretStore,
  MergedDatabaseDefinition,
} from '@dbaas/plugin-dbaas-node';

/** What the suite's provisioner needs besides the cluster's settings. */
export interface ProvisionerDeps {
  secretStore: DatabaseSecretStore;
  secretPathTemplate?: string;
  logger: LoggerService;
  /**
   * Runs before a database is dropped (the final snapshot); when it
   * throws, nothing is dropped.
   */
  beforeDrop?: (definition: MergedDatabaseDefinition) => Promise<void>;
}

/** How databases come to exist on a cluster, as the status rules see it. */
export interface ProvisioningFacts {
  /** Who creates a merged database, in "waiting for ..." reasons. */
  by: string;
  /**
   * Whether a database still not ready `failAfterMinutes` after its merge
   * is `failed`: needed where nobody reports provisioning errors.
   */
  timed: boolean;
}

/**
 * Who snapshots a cluster's databases: `logical`, the suite itself with
 * pg_dump, per database (scheduled, on demand, and a final one before a
 * drop), in `dbaas.snapshots.local.directory`; `cluster`, the cloud, one
 * snapshot of the whole cluster.
 */
export type SnapshotKind = 'logical' | 'cluster';

/**
 * Everything that depends on a cluster's provider, for one
 * `dbaas.clusters[]` entry. Callers ask the bundle instead of testing
 * `cluster.provider`; {@link createClusterProviders} is the one place that
 * chooses a bundle for a provider.
 */
export interface ClusterProviderBundle {
  readonly cluster: ClusterSettings;
  readonly provisioning: ProvisioningFacts;
  /** Which snapshot catalog (and so which restore) serves the cluster. */
  readonly snapshots: SnapshotKind;
  /** Reads the databases, roles and schema ownership the cluster holds. */
  createObserver(): ClusterObserver;
  /**
   * The suite's provisioner, or undefined where another system creates
   * and drops the databases.
   */
  createProvisioner(deps: ProvisionerDeps): DatabaseProvisioner | undefined;
  /**
   * Where the suite does not provision (Aurora: the chart does), the
   * provisioner of the databases restores create (`new-database`
   * targets): their roles, secrets and grants as the chart makes them.
   * Never used by the inventory, which must not touch the chart's
   * databases. Clusters with their own provisioner need none.
   */
  createNewDatabaseProvisioner?(
    deps: Omit<ProvisionerDeps, 'beforeDrop'>,
  ): DatabaseProvisioner;
  /**
   * Who rotates the application credentials of the cluster's databases
   * (`dbaas.credentials.rotate`): the suite with alternating users on
   * self-hosted clusters, Secrets Manager's rotation function on Aurora.
   */
  createCredentialRotator?(
    deps: Omit<ProvisionerDeps, 'beforeDrop'>,
  ): ClusterCredentialRotator;
  /** Where billing reads the cluster's compute capacity (ACU). */
  createCapacityReader(): CapacityReader;
}
