import { Client } from 'pg';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ForwardedError, InputError, NotAllowedError } from '@backstage/errors';
import {
  deriveDatabaseNames,
  DerivedDatabaseNames,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { DatabaseSecretStore, RoleSecret } from '../secrets/types';
import { redactError, redactSecrets } from '../secrets/redact';
import {
  ClusterConnection,
  ClusterSettings,
  toPgClientConfig,
} from './connectionConfig';
import { grantPlan } from './grantPlan';
import {
  generatePassword,
  scramSha256Verifier,
  scramVerifierMatches,
} from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import {
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  ProvisionResult,
} from './types';

/** @public */
export interface PostgresProvisionerOptions {
  /** Cluster name, as in `dbaas.clusters[].name`. */
  cluster: string;
  /**
   * A superuser connection: creating databases owned by other roles,
   * reading `pg_authid` and setting default privileges for another role
   * need it.
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

/** What `-write` may do on tables (the chart's write role). */
const WRITE_TABLE_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
] as const;

/** Reconcile order: the admin role first, since it owns the database. */
const ROLE_ORDER: readonly RoleAccess[] = ['admin', 'write', 'read'];

/**
 * First key of the session advisory lock taken per database ('dbas'), so
 * our locks do not collide with other users of `pg_advisory_lock` on the
 * same cluster. The second key is `hashtext(<database name>)`.
 */
const LOCK_CLASS = 0x64626173;

/** SQLSTATEs treated as "someone else already did it". */
const DUPLICATE_OBJECT = '42710';
const DUPLICATE_DATABASE = '42P04';
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Attributes a tenant role must never have. Re-applied when they drift, so
 * a tenant can never gain cluster-wide powers through its roles.
 */
const ROLE_ATTRIBUTES =
  'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

interface ExistingRole {
  /** `pg_authid.rolpassword`; undefined when we may not read it. */
  verifier?: string | null;
  attributesOk: boolean;
}

function sqlState(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/**
 * One reconcile or drop: the admin session, the step being done (for error
 * context), the changes so far and the passwords handled, which are
 * removed from any error before it leaves.
 */
class Run {
  step = 'connect';
  readonly changes: string[] = [];
  readonly passwords: string[] = [];

  constructor(readonly names: DerivedDatabaseNames) {}

  async at<T>(step: string, fn: () => Promise<T>): Promise<T> {
    this.step = step;
    return fn();
  }

  changed(change: string) {
    this.changes.push(change);
  }
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
export class PostgresProvisioner implements DatabaseProvisioner {
  readonly cluster: string;
  readonly #options: PostgresProvisionerOptions;

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
  }

  async ensure(definition: MergedDatabaseDefinition): Promise<ProvisionResult> {
    const run = new Run(this.#names(definition));
    await this.#withAdminSession(run, async admin => {
      const existing = await run.at('read roles', () =>
        this.#readRoles(admin, run.names),
      );
      for (const access of ROLE_ORDER) {
        await this.#ensureRole(admin, run, access, existing);
      }
      await this.#ensureDatabase(admin, run);
      await this.#ensureDatabaseAccess(admin, run);
      await this.#ensureTenantGrants(run);
    });
    this.#log(run, 'reconciled');
    return { changes: run.changes };
  }

  async drop(definition: MergedDatabaseDefinition): Promise<ProvisionResult> {
    const run = new Run(this.#names(definition));
    const { databaseName, roles, secretManagerPaths } = run.names;
    if (definition.mode === 'protected') {
      throw new NotAllowedError(
        `Database '${databaseName}' is protected; protected databases are never dropped`,
      );
    }
    await this.#withAdminSession(run, async admin => {
      // Under the lock, so no reconcile re-creates anything meanwhile.
      const databaseExists = await run.at('read database', () =>
        this.#databaseExists(admin, databaseName),
      );
      if (databaseExists && this.#options.beforeDrop) {
        await run.at('run the step before dropping (nothing was dropped)', () =>
          this.#options.beforeDrop!(definition),
        );
      }
      if (databaseExists) {
        await run.at('drop database', () => this.#dropDatabase(admin, run));
      }
      const existing = await run.at('read roles', () =>
        this.#readRoles(admin, run.names),
      );
      for (const access of ROLE_ORDER) {
        const role = roles[access];
        if (!existing.has(role)) {
          continue;
        }
        await run.at(`drop role ${role}`, async () => {
          // Sessions in other databases (e.g. `postgres`) would keep using a
          // dropped role; end them first.
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = $1',
            [role],
          );
          await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
          run.changed(`dropped role ${role}`);
        });
      }
      for (const access of ROLE_ORDER) {
        const path = secretManagerPaths[access];
        await run.at(`delete secret ${path}`, async () => {
          const { exists } = await this.#options.secretStore.describe(
            path,
            access,
          );
          if (exists) {
            await this.#options.secretStore.delete(path);
            run.changed(`deleted secret ${path}`);
          }
        });
      }
    });
    this.#log(run, 'dropped');
    return { changes: run.changes };
  }

  #names(definition: MergedDatabaseDefinition): DerivedDatabaseNames {
    return deriveDatabaseNames(definition.namespace, definition.name, {
      secretPathTemplate: this.#options.secretPathTemplate,
    });
  }

  #client(database?: string): Client {
    const client = new Client(
      toPgClientConfig(this.#options.connection, {
        database,
        connectionTimeoutMillis: this.#options.connectionTimeoutMillis,
        lockTimeoutMillis: this.#options.lockTimeoutMillis ?? 60_000,
        applicationName: 'backstage-dbaas-provisioner',
      }),
    );
    // A connection lost between queries emits 'error' on the client; the
    // pending query fails with it anyway, so the event itself is ignored
    // instead of crashing the process.
    client.on('error', () => {});
    return client;
  }

  /**
   * Connects, takes the per-database advisory lock, runs `fn`, and turns
   * any failure into a `ForwardedError` naming the database and step, with
   * every password handled in this run removed.
   */
  async #withAdminSession(
    run: Run,
    fn: (admin: Client) => Promise<void>,
  ): Promise<void> {
    const admin = this.#client();
    try {
      await admin.connect();
      await run.at('wait for other reconciles of this database', () =>
        admin.query('SELECT pg_advisory_lock($1, hashtext($2))', [
          LOCK_CLASS,
          run.names.databaseName,
        ]),
      );
      await fn(admin);
    } catch (error) {
      throw this.#wrap(run, error);
    } finally {
      // Ending the session releases the advisory lock.
      await admin.end().catch(() => {});
    }
  }

  #wrap(run: Run, error: unknown): Error {
    const secrets = [...run.passwords, this.#options.connection.password];
    let cause = redactError(error, secrets);
    // PostgreSQL puts the useful part of some errors (which objects still
    // depend on a role, ...) in `detail`, which the message lacks.
    const detail = (error as { detail?: unknown } | undefined)?.detail;
    if (typeof detail === 'string' && detail) {
      cause = Object.assign(
        new Error(redactSecrets(`${cause.message} (${detail})`, secrets)),
        { name: cause.name, code: sqlState(error) },
      );
    }
    return new ForwardedError(
      `Could not ${run.step} for database '${run.names.databaseName}' on cluster '${this.cluster}'`,
      cause,
    );
  }

  #log(run: Run, what: string) {
    if (run.changes.length > 0) {
      this.#options.logger?.info(
        `dbaas: ${what} database '${run.names.databaseName}' on cluster '${
          this.cluster
        }': ${run.changes.join('; ')}`,
      );
    }
  }

  async #readRoles(
    admin: Client,
    names: DerivedDatabaseNames,
  ): Promise<Map<string, ExistingRole>> {
    const roleNames = ROLE_ORDER.map(access => names.roles[access]);
    const attributes = `rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) AS attributes_ok`;
    let rows: Array<{
      rolname: string;
      verifier?: string | null;
      attributes_ok: boolean;
    }>;
    try {
      // pg_authid (superuser only) lets us check each role's password
      // against its secret without logging in.
      ({ rows } = await admin.query(
        `SELECT rolname, rolpassword AS verifier, ${attributes} FROM pg_catalog.pg_authid WHERE rolname = ANY($1)`,
        [roleNames],
      ));
    } catch (error) {
      if (sqlState(error) !== INSUFFICIENT_PRIVILEGE) {
        throw error;
      }
      ({ rows } = await admin.query(
        `SELECT rolname, ${attributes} FROM pg_catalog.pg_roles WHERE rolname = ANY($1)`,
        [roleNames],
      ));
    }
    return new Map(
      rows.map(row => [
        row.rolname,
        { verifier: row.verifier, attributesOk: row.attributes_ok },
      ]),
    );
  }

  /**
   * One role and its secret. The password is generated once and stored
   * before the role gets it, so a crash in between is healed by the next
   * run re-using the stored password. An existing role keeps its password
   * unless its secret is missing or no longer matches it.
   */
  async #ensureRole(
    admin: Client,
    run: Run,
    access: RoleAccess,
    existingRoles: Map<string, ExistingRole>,
  ): Promise<void> {
    const role = run.names.roles[access];
    const path = run.names.secretManagerPaths[access];
    const store = this.#options.secretStore;
    const { host: endpoint, port } = this.#options.publicEndpoint;

    const secret = await run.at(`read secret ${path}`, () => store.get(path));
    if (secret) {
      run.passwords.push(secret.password);
    }
    const password = secret?.password ?? generatePassword();
    run.passwords.push(password);
    const wanted: RoleSecret = { username: role, password, endpoint, port };

    const secretIsCurrent =
      secret !== undefined &&
      secret.username === wanted.username &&
      secret.endpoint === wanted.endpoint &&
      Number(secret.port) === wanted.port;
    if (!secretIsCurrent) {
      await run.at(`store secret ${path}`, () => store.put(path, wanted));
      run.changed(secret ? `updated secret ${path}` : `stored secret ${path}`);
    }

    const setPassword = `PASSWORD ${quoteLiteral(
      scramSha256Verifier(password),
    )}`;
    const existing = existingRoles.get(role);
    if (!existing) {
      await run.at(`create role ${role}`, async () => {
        try {
          await admin.query(
            `CREATE ROLE ${quoteIdent(
              role,
            )} WITH ${ROLE_ATTRIBUTES} ${setPassword}`,
          );
        } catch (error) {
          if (sqlState(error) !== DUPLICATE_OBJECT) {
            throw error;
          }
          // Created meanwhile by someone not holding our lock: make it ours.
          await admin.query(
            `ALTER ROLE ${quoteIdent(
              role,
            )} WITH ${ROLE_ATTRIBUTES} ${setPassword}`,
          );
        }
      });
      run.changed(`created role ${role}`);
      return;
    }

    // A role whose secret was missing gets the new password. Otherwise the
    // stored verifier is checked against the secret; without superuser
    // (verifier undefined) it cannot be read and is trusted.
    const passwordMatches =
      secret !== undefined &&
      (existing.verifier === undefined ||
        scramVerifierMatches(existing.verifier, secret.password));
    if (passwordMatches && existing.attributesOk) {
      return;
    }
    await run.at(`update role ${role}`, () =>
      admin.query(
        `ALTER ROLE ${quoteIdent(role)} WITH ${ROLE_ATTRIBUTES}${
          passwordMatches ? '' : ` ${setPassword}`
        }`,
      ),
    );
    if (!passwordMatches) {
      run.changed(
        secret
          ? `set the password of role ${role} to the one in its secret`
          : `set a new password for role ${role} (its secret was missing)`,
      );
    }
    if (!existing.attributesOk) {
      run.changed(`reset the attributes of role ${role} to ${ROLE_ATTRIBUTES}`);
    }
  }

  async #ensureDatabase(admin: Client, run: Run): Promise<void> {
    const { databaseName } = run.names;
    const adminRole = run.names.roles.admin;
    const owner = await run.at('read database', async () => {
      const { rows } = await admin.query<{ owner: string }>(
        'SELECT pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_catalog.pg_database WHERE datname = $1',
        [databaseName],
      );
      return rows[0]?.owner;
    });
    if (owner === undefined) {
      const created = await run.at('create database', async () => {
        try {
          // CREATE DATABASE cannot run inside a transaction; pg sends each
          // query on its own, outside any BEGIN. template0 copies nothing
          // from a customised template1 and never waits for sessions on it.
          await admin.query(
            `CREATE DATABASE ${quoteIdent(databaseName)} OWNER ${quoteIdent(
              adminRole,
            )} TEMPLATE template0`,
          );
          return true;
        } catch (error) {
          if (sqlState(error) !== DUPLICATE_DATABASE) {
            throw error;
          }
          return false;
        }
      });
      if (created) {
        run.changed(`created database ${databaseName}`);
        return;
      }
    }
    if (owner !== adminRole) {
      await run.at('change the database owner', () =>
        admin.query(
          `ALTER DATABASE ${quoteIdent(databaseName)} OWNER TO ${quoteIdent(
            adminRole,
          )}`,
        ),
      );
      run.changed(`made ${adminRole} the owner of database ${databaseName}`);
    }
  }

  /**
   * Only the database's own roles may connect: PUBLIC loses CONNECT and
   * TEMPORARY (so other tenants' roles are refused), the three roles get
   * CONNECT and TEMPORARY (temporary tables are common in applications).
   */
  async #ensureDatabaseAccess(admin: Client, run: Run): Promise<void> {
    const { databaseName, roles } = run.names;
    await run.at('set database privileges', async () => {
      const { rows } = await admin.query<{
        grantee: string;
        privilege: string;
      }>(
        `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
                a.privilege_type AS privilege
         FROM pg_catalog.pg_database d,
              aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
         WHERE d.datname = $1`,
        [databaseName],
      );
      const plan = grantPlan(
        rows,
        {
          PUBLIC: [],
          [roles.read]: ['CONNECT', 'TEMPORARY'],
          [roles.write]: ['CONNECT', 'TEMPORARY'],
          [roles.admin]: ['CONNECT', 'TEMPORARY'],
        },
        { revokeExtra: ['PUBLIC'] },
      );
      const db = quoteIdent(databaseName);
      for (const { grantee, privileges } of plan.revoke) {
        await admin.query(
          `REVOKE ${privileges.join(', ')} ON DATABASE ${db} FROM ${
            grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grantee)
          }`,
        );
        run.changed(
          `revoked ${privileges.join(
            ', ',
          )} on database ${databaseName} from ${grantee}`,
        );
      }
      for (const { grantee, privileges } of plan.grant) {
        await admin.query(
          `GRANT ${privileges.join(', ')} ON DATABASE ${db} TO ${quoteIdent(
            grantee,
          )}`,
        );
        run.changed(
          `granted ${privileges.join(
            ', ',
          )} on database ${databaseName} to ${grantee}`,
        );
      }
    });
  }

  /**
   * Inside the tenant database (a second, short session, in one
   * transaction): schema public owned by the admin role and closed to
   * PUBLIC, USAGE for read and write, grants on existing tables and
   * sequences, and default privileges for what the admin creates later.
   */
  async #ensureTenantGrants(run: Run): Promise<void> {
    const { databaseName } = run.names;
    const tenant = this.#client(databaseName);
    // Changes count only once the transaction has committed.
    const pending: string[] = [];
    const record = (change: string) => pending.push(change);
    await run.at(`connect to database ${databaseName}`, () => tenant.connect());
    try {
      await tenant.query('BEGIN');
      await run.at('set up schema public', () =>
        this.#ensurePublicSchema(tenant, run, record),
      );
      await run.at('grant privileges on existing tables and sequences', () =>
        this.#ensureObjectGrants(tenant, run, record),
      );
      await run.at('set default privileges', () =>
        this.#ensureDefaultPrivileges(tenant, run, record),
      );
      await run.at('commit the grants', () => tenant.query('COMMIT'));
    } catch (error) {
      await tenant.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      await tenant.end().catch(() => {});
    }
    pending.forEach(change => run.changed(change));
  }

  async #ensurePublicSchema(
    tenant: Client,
    run: Run,
    record: (change: string) => void,
  ): Promise<void> {
    const { roles } = run.names;
    const admin = quoteIdent(roles.admin);
    const { rows: schemas } = await tenant.query<{ owner: string }>(
      `SELECT pg_catalog.pg_get_userbyid(nspowner) AS owner FROM pg_catalog.pg_namespace WHERE nspname = 'public'`,
    );
    if (schemas.length === 0) {
      await tenant.query(`CREATE SCHEMA public AUTHORIZATION ${admin}`);
      record(`created schema public owned by ${roles.admin}`);
    } else if (schemas[0].owner !== roles.admin) {
      await tenant.query(`ALTER SCHEMA public OWNER TO ${admin}`);
      record(`made ${roles.admin} the owner of schema public`);
    }

    const { rows } = await tenant.query<{ grantee: string; privilege: string }>(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
              a.privilege_type AS privilege
       FROM pg_catalog.pg_namespace n,
            aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
       WHERE n.nspname = 'public'`,
    );
    // read and write may use the schema but never create in it; the
    // admin (owner) keeps USAGE and CREATE.
    const plan = grantPlan(
      rows,
      {
        PUBLIC: [],
        [roles.read]: ['USAGE'],
        [roles.write]: ['USAGE'],
        [roles.admin]: ['USAGE', 'CREATE'],
      },
      { revokeExtra: ['PUBLIC', roles.read, roles.write] },
    );
    for (const { grantee, privileges } of plan.revoke) {
      await tenant.query(
        `REVOKE ${privileges.join(', ')} ON SCHEMA public FROM ${
          grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grantee)
        }`,
      );
      record(
        `revoked ${privileges.join(', ')} on schema public from ${grantee}`,
      );
    }
    for (const { grantee, privileges } of plan.grant) {
      await tenant.query(
        `GRANT ${privileges.join(', ')} ON SCHEMA public TO ${quoteIdent(
          grantee,
        )}`,
      );
      record(`granted ${privileges.join(', ')} on schema public to ${grantee}`);
    }
  }

  /**
   * Existing tables (incl. views, materialized views, foreign and
   * partitioned tables, as `ALL TABLES` does) and sequences. Counted first
   * so an up-to-date database gets no GRANT at all.
   */
  async #ensureObjectGrants(
    tenant: Client,
    run: Run,
    record: (change: string) => void,
  ): Promise<void> {
    const { roles } = run.names;
    // has_table_privilege with a list is true if ANY privilege is held,
    // so each privilege is checked on its own.
    const { rows } = await tenant.query<{
      read_tables: number;
      write_tables: number;
      write_sequences: number;
    }>(
      `SELECT
         count(*) FILTER (WHERE c.relkind IN ('r','p','v','m','f')
           AND NOT has_table_privilege($1, c.oid, 'SELECT'))::int AS read_tables,
         count(*) FILTER (WHERE c.relkind IN ('r','p','v','m','f') AND NOT (
           has_table_privilege($2, c.oid, 'SELECT') AND has_table_privilege($2, c.oid, 'INSERT')
           AND has_table_privilege($2, c.oid, 'UPDATE') AND has_table_privilege($2, c.oid, 'DELETE')
           AND has_table_privilege($2, c.oid, 'TRUNCATE')))::int AS write_tables,
         count(*) FILTER (WHERE c.relkind = 'S' AND NOT (
           has_sequence_privilege($2, c.oid, 'USAGE') AND has_sequence_privilege($2, c.oid, 'SELECT')))::int AS write_sequences
       FROM pg_catalog.pg_class c
       WHERE c.relnamespace = 'public'::regnamespace`,
      [roles.read, roles.write],
    );
    const [counts] = rows;
    if (counts.read_tables > 0) {
      await tenant.query(
        `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${quoteIdent(
          roles.read,
        )}`,
      );
      record(`granted SELECT on ${counts.read_tables} tables to ${roles.read}`);
    }
    if (counts.write_tables > 0) {
      await tenant.query(
        `GRANT ${WRITE_TABLE_PRIVILEGES.join(
          ', ',
        )} ON ALL TABLES IN SCHEMA public TO ${quoteIdent(roles.write)}`,
      );
      record(
        `granted ${WRITE_TABLE_PRIVILEGES.join(', ')} on ${
          counts.write_tables
        } tables to ${roles.write}`,
      );
    }
    if (counts.write_sequences > 0) {
      await tenant.query(
        `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${quoteIdent(
          roles.write,
        )}`,
      );
      record(
        `granted USAGE, SELECT on ${counts.write_sequences} sequences to ${roles.write}`,
      );
    }
  }

  /**
   * `ALTER DEFAULT PRIVILEGES FOR ROLE <admin> IN SCHEMA public`: tables
   * and sequences the admin role creates later get the read and write
   * grants automatically (the guide's "all tables created by the admin
   * user in the public schema").
   */
  async #ensureDefaultPrivileges(
    tenant: Client,
    run: Run,
    record: (change: string) => void,
  ): Promise<void> {
    const { roles } = run.names;
    const { rows } = await tenant.query<{
      objtype: string;
      grantee: string;
      privilege: string;
    }>(
      `SELECT d.defaclobjtype::text AS objtype,
              CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
              a.privilege_type AS privilege
       FROM pg_catalog.pg_default_acl d, aclexplode(d.defaclacl) a
       WHERE d.defaclrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)
         AND d.defaclnamespace = 'public'::regnamespace`,
      [roles.admin],
    );
    const wanted: Array<{
      objtype: 'r' | 'S';
      on: string;
      grants: Record<string, string[]>;
    }> = [
      {
        objtype: 'r',
        on: 'TABLES',
        grants: {
          [roles.read]: ['SELECT'],
          [roles.write]: [...WRITE_TABLE_PRIVILEGES],
        },
      },
      {
        objtype: 'S',
        on: 'SEQUENCES',
        grants: { [roles.write]: ['USAGE', 'SELECT'] },
      },
    ];
    for (const { objtype, on, grants } of wanted) {
      const plan = grantPlan(
        rows.filter(r => r.objtype === objtype),
        grants,
        { revokeExtra: [] },
      );
      for (const { grantee, privileges } of plan.grant) {
        await tenant.query(
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(
            roles.admin,
          )} IN SCHEMA public GRANT ${privileges.join(
            ', ',
          )} ON ${on} TO ${quoteIdent(grantee)}`,
        );
        record(
          `set default privileges: ${privileges.join(
            ', ',
          )} on new ${on.toLowerCase()} of ${roles.admin} to ${grantee}`,
        );
      }
    }
  }

  async #databaseExists(admin: Client, databaseName: string) {
    const { rowCount } = await admin.query(
      'SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1',
      [databaseName],
    );
    return (rowCount ?? 0) > 0;
  }

  async #dropDatabase(admin: Client, run: Run): Promise<void> {
    const { databaseName } = run.names;
    const db = quoteIdent(databaseName);
    const { rows } = await admin.query<{ version: number }>(
      `SELECT current_setting('server_version_num')::int AS version`,
    );
    if (rows[0].version >= 130000) {
      // WITH (FORCE) refuses new connections and terminates the open ones.
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    } else {
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [databaseName],
      );
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    }
    run.changed(`dropped database ${databaseName}`);
  }
}
