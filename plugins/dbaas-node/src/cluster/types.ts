import { DatabaseMode, RoleAccess } from '@dbaas/plugin-dbaas-common';

/**
 * One database as a cluster really holds it.
 *
 * @public
 */
export interface ObservedDatabase {
  /** `<namespace>-<name>` */
  databaseName: string;
  sizeBytes: number;
  /** Whether each of `<db>-read`, `-write`, `-admin` exists as a role. */
  roles: Record<RoleAccess, boolean>;
  /** Whether `<db>-admin` owns schema public (the chart's last step). */
  adminOwnsPublicSchema: boolean;
  /** Open connections right now. */
  connections: number;
}

/**
 * What one pass over a cluster saw: every database and role, in one
 * connection and one round of queries, or why it could not look.
 *
 * @public
 */
export type ClusterObservation =
  | {
      cluster: string;
      reachable: true;
      observedAt: Date;
      serverVersion: string;
      /** Keyed by database name; system and template databases excluded. */
      databases: Map<string, ObservedDatabase>;
    }
  | {
      cluster: string;
      reachable: false;
      observedAt: Date;
      /** One line, no credentials. */
      error: string;
    };

/**
 * Looks at one cluster.
 *
 * @public
 */
export interface ClusterObserver {
  readonly cluster: string;
  observe(): Promise<ClusterObservation>;
}

/**
 * A database definition that has been merged to the apps repository's base
 * branch, as the provisioner needs it.
 *
 * @public
 */
export interface MergedDatabaseDefinition {
  namespace: string;
  name: string;
  mode: DatabaseMode;
}

/**
 * What one reconcile of a database did, for the status history.
 *
 * @public
 */
export interface ProvisionResult {
  /** Steps that changed something, e.g. `created database`, `created role payments-ledger-read`. */
  changes: string[];
}

/**
 * Makes a self-hosted cluster hold what the apps repository says (the job
 * ArgoCD and the chart do for Aurora). Every method is idempotent.
 *
 * @public
 */
export interface DatabaseProvisioner {
  readonly cluster: string;
  /** Database, the three roles with passwords in the secret store, grants, default privileges. */
  ensure(definition: MergedDatabaseDefinition): Promise<ProvisionResult>;
  /** Drops a standard database and its roles and secrets (after a final snapshot, once snapshots exist). */
  drop(definition: MergedDatabaseDefinition): Promise<ProvisionResult>;
}
