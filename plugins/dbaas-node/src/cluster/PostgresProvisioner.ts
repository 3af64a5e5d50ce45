import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  deriveDatabaseNames,
  DerivedDatabaseNames,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { DatabaseSecretStore } from '../secrets/types';
import { ClusterSettings } from './clusterConfig';
import { rotateRoleCredential } from './credentialRotation';
import { ClusterConnection } from './connectionConfig';
import { ProvisionerSessions } from './ProvisionerSessions';
import { ProvisioningRun } from './ProvisioningRun';
import {
  dropTenantDatabase,
  ensureAdminMembership,
  ensureTenantDatabase,
  tenantDatabaseExists,
} from './tenantDatabase';
import { ensureDatabaseAccess, ensureTenantGrants } from './tenantGrants';
import {
  deleteRoleSecrets,
  dropTenantRoles,
  ensureTenantRoles,
} from './tenantRoles';
import {
  CredentialRotationResult,
  CredentialRotator,
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  ProvisionResult,
} from './types';

/** @public */
export interface PostgresProvisionerOptions {
  /** Cluster name, as in `dbaas.clusters[].name`. */
  cluster: string;
  /**
   * A superuser connection, or one that may create roles and databases
   * (Aurora's master user: CREATEDB, CREATEROLE), which then joins each
   * database's `-admin` role to create the database for it and set its
   * default privileges; without superuser `pg_authid` cannot be read and
   * passwords are checked by their secret only.
   */
  connection: ClusterConnection;
  /** Host and port written into every role's secret. */
  publicEndpoint: { host: string; port: number };
  secretStore: DatabaseSecretStore;
  /** `dbaas.secrets.pathTemplate`; defaults to `customer/{namespace}/{role}`. */
  secretPathTemplate?: string;
  /**
   * Runs before anything is dropped, e.g. the final snapshot: only when the
   * database exists, and while this database's advisory lock is held (a
   * reconcile of the same database waits up to `lockTimeoutMillis`). When
   * it throws, nothing is dropped.
   */
  beforeDrop?: (definition: MergedDatabaseDefinition) => Promise<void>;
  logger?: LoggerService;
  /** @defaultValue 10000 */
  connectionTimeoutMillis?: number;
  /**
   * How long to wait for another reconcile of the same database (or any
   * lock) before failing. @defaultValue 60000
   */
  lockTimeoutMillis?: number;
}

/**
 * Provisions databases on a self-hosted (`provider: local`) cluster, doing
 * what ArgoCD and the idp-postgresql chart do on Aurora: database
 * `<ns>-<db>` owned by `<ns>-<db>-admin`, roles `-read`, `-write`, `-admin`
 * with passwords in the secret store, CONNECT for those three roles only,
 * schema public owned by the admin role, and grants plus default privileges
 * so that tables the admin creates later are readable by `-read` and
 * writable by `-write`.
 *
 * Idempotent: each step first reads what is there and only changes what
 * differs, so a second `ensure` returns no changes. Reconciles of one
 * database are serialised with a session advisory lock (several backend
 * replicas may run the provisioner); duplicate_object/duplicate_database
 * errors are still taken as "already there" for anything that bypasses it.
 *
 * Passwords never reach the server in clear text (roles get SCRAM
 * verifiers computed here) and never appear in errors or logs.
 *
 * @public
 */
export class PostgresProvisioner
  implements DatabaseProvisioner, CredentialRotator
{
  readonly cluster: string;
  readonly #options: PostgresProvisionerOptions;
  readonly #sessions: ProvisionerSessions;

  /**
   * For a `dbaas.clusters[]` entry. Aurora clusters are provisioned by
   * ArgoCD and the chart, never by the suite.
   */
  static fromSettings(
    settings: ClusterSettings,
    options: Omit<
      PostgresProvisionerOptions,
      'cluster' | 'connection' | 'publicEndpoint'
    >,
  ): PostgresProvisioner {
    // An argument check of this public factory, not a choice of behaviour:
    // the backend picks provisioners through its provider bundles.
    if (settings.provider !== 'local') {
      throw new InputError(
        `Cluster '${settings.name}' has provider ${settings.provider}; only local clusters are provisioned by the suite`,
      );
    }
    return new PostgresProvisioner({
      ...options,
      cluster: settings.name,
      connection: settings.connection,
      publicEndpoint: settings.publicEndpoint,
    });
  }

  constructor(options: PostgresProvisionerOptions) {
    this.cluster = options.cluster;
    this.#options = options;
    this.#sessions = new ProvisionerSessions(options);
  }

  async ensure(definition: MergedDatabaseDefinition): Promise<ProvisionResult> {
    const run = new ProvisioningRun(this.#names(definition));
    await this.#sessions.withAdminSession(run, async admin => {
      await ensureTenantRoles(admin, run, this.#options);
      await ensureAdminMembership(admin, run);
      await ensureTenantDatabase(admin, run);
      await ensureDatabaseAccess(admin, run);
      await ensureTenantGrants(run, this.#sessions);
    });
    this.#log(run, 'reconciled');
    return { changes: run.changes };
  }

  async drop(definition: MergedDatabaseDefinition): Promise<ProvisionResult> {
    const run = new ProvisioningRun(this.#names(definition));
    const { databaseName } = run.names;
    if (definition.mode === 'protected') {
      throw new NotAllowedError(
        `Database '${databaseName}' is protected; protected databases are never dropped`,
      );
    }
    await this.#sessions.withAdminSession(run, async admin => {
      // Under the lock, so no reconcile re-creates anything meanwhile.
      const databaseExists = await run.at('read database', () =>
        tenantDatabaseExists(admin, databaseName),
      );
      if (databaseExists && this.#options.beforeDrop) {
        await run.at('run the step before dropping (nothing was dropped)', () =>
          this.#options.beforeDrop!(definition),
        );
      }
      if (databaseExists) {
        await run.at('drop database', () => dropTenantDatabase(admin, run));
      }
      await dropTenantRoles(admin, run);
      await deleteRoleSecrets(run, this.#options.secretStore);
    });
    this.#log(run, 'dropped');
    return { changes: run.changes };
  }

  /**
   * Rotates one role's credential with two alternating login users (the
   * role and its twin), under the database's advisory lock: see
   * `rotateRoleCredential`.
   */
  async rotate(
    definition: MergedDatabaseDefinition,
    access: RoleAccess,
  ): Promise<CredentialRotationResult> {
    const run = new ProvisioningRun(this.#names(definition));
    let username = '';
    await this.#sessions.withAdminSession(run, async admin => {
      ({ username } = await rotateRoleCredential(
        admin,
        run,
        access,
        this.#options,
      ));
    });
    this.#log(run, `rotated the ${access} credential of`);
    return { state: 'succeeded', username, changes: run.changes };
  }

  #names(definition: MergedDatabaseDefinition): DerivedDatabaseNames {
    return deriveDatabaseNames(definition.namespace, definition.name, {
      secretPathTemplate: this.#options.secretPathTemplate,
    });
  }

  #log(run: ProvisioningRun, what: string) {
    if (run.changes.length > 0) {
      this.#options.logger?.info(
        `dbaas: ${what} database '${run.names.databaseName}' on cluster '${
          this.cluster
        }': ${run.changes.join('; ')}`,
      );
    }
  }
}
