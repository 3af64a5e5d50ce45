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
  /**
   * Whether each role has its twin login user (credential rotation's
   * alternating users, `credentialTwinName`); absent when no role has
   * one. Twins are part of the database, never a role of their own.
   */
  credentialTwins?: Record<RoleAccess, boolean>;
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

/**
 * The result of a credential rotation: `succeeded` when the secret holds
 * the new credential, `in-progress` when another system (Secrets Manager's
 * rotation function) finishes it later. Never holds a password.
 *
 * @public
 */
export interface CredentialRotationResult {
  state: 'succeeded' | 'in-progress';
  /** The login user the secret names now, when known. */
  username?: string;
  /** `in-progress`: the secret version being made (Secrets Manager's AWSPENDING). */
  versionId?: string;
  /** What was changed, for the audit trail. */
  changes: string[];
}

/**
 * Rotates the application credential of one role of a database, keeping
 * the secret's path. Implementations must leave the previous credential
 * working until the next rotation.
 *
 * @public
 */
export interface CredentialRotator {
  readonly cluster: string;
  rotate(
    definition: MergedDatabaseDefinition,
    access: RoleAccess,
  ): Promise<CredentialRotationResult>;
}
