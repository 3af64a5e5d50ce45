import { Client } from 'pg';
import {
  CREDENTIAL_TWIN_SUFFIXES,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { quoteLiteral } from './sql';
import { errorMessageLine, redactSecrets } from '../secrets/redact';
import {
  ClusterConnection,
  describeConnection,
  PgClientOptions,
} from './connectionConfig';
import { withClusterClient } from './openClusterClient';
import { ClusterObservation, ClusterObserver, ObservedDatabase } from './types';

/** @public */
export interface PostgresClusterObserverOptions {
  /** Cluster name, as in `dbaas.clusters[].name`. */
  cluster: string;
  connection: ClusterConnection;
  /** An unreachable cluster is reported after this long. @defaultValue 5000 */
  connectionTimeoutMillis?: number;
  /** Server-side limit for the observation query. @defaultValue 15000 */
  statementTimeoutMillis?: number;
  /**
   * How `adminOwnsPublicSchema` is decided.
   *
   * - `database-owner` (default): `<db>-admin` owns the database
   *   (`pg_database.datdba`). Schema ownership lives in each database's own
   *   catalog, which one connection cannot read, but the suite's provisioner
   *   always makes `<db>-admin` the owner of both the database and schema
   *   public, so the database owner is visible from the one connection and
   *   stands in for the schema owner.
   * - `schema-owner`: additionally, for databases where all three roles exist
   *   but the database owner is not the admin role (e.g. created by a chart
   *   that keeps the database owned by the master user), open one short
   *   connection to that database and read the owner of schema public.
   *   Costs a connection per such database, so only use it where needed.
   */
  publicSchemaCheck?: 'database-owner' | 'schema-owner';
}

/**
 * One row per tenant-looking database: a single statement reading
 * `pg_database`, `pg_roles` and `pg_stat_activity`, so a pass over a
 * cluster with a thousand databases is one round trip.
 *
 * Excluded: templates, `postgres`, databases being dropped
 * (`datconnlimit = -2`), and names without a `-`, which cannot be
 * `<namespace>-<db>`. Which tenants a cluster serves is the caller's filter.
 */
const OBSERVE_SQL = `
WITH dbs AS (
  SELECT d.oid, d.datname, d.datdba
  FROM pg_catalog.pg_database d
  WHERE NOT d.datistemplate
    AND d.datname <> 'postgres'
    AND d.datconnlimit <> -2
    AND position('-' in d.datname) > 0
),
activity AS (
  SELECT a.datid, count(*)::int AS connections
  FROM pg_catalog.pg_stat_activity a
  WHERE a.datid IS NOT NULL
  GROUP BY a.datid
)
SELECT
  current_setting('server_version') AS server_version,
  coalesce((
    SELECT json_agg(json_build_object(
      'name', dbs.datname,
      'size', coalesce(pg_catalog.pg_database_size(dbs.oid), 0),
      'read', r.oid IS NOT NULL,
      'write', w.oid IS NOT NULL,
      'admin', ad.oid IS NOT NULL,
      'adminOwnsDatabase', ad.oid IS NOT NULL AND dbs.datdba = ad.oid,
      'twins', json_build_object(
        'read', rt.oid IS NOT NULL,
        'write', wt.oid IS NOT NULL,
        'admin', adt.oid IS NOT NULL
      ),
      'connections', coalesce(activity.connections, 0)
    ))
    FROM dbs
    LEFT JOIN pg_catalog.pg_roles r ON r.rolname = dbs.datname || '-read'
    LEFT JOIN pg_catalog.pg_roles w ON w.rolname = dbs.datname || '-write'
    LEFT JOIN pg_catalog.pg_roles ad ON ad.rolname = dbs.datname || '-admin'
    -- The second login users of credential rotation (alternating users).
    LEFT JOIN pg_catalog.pg_roles rt ON rt.rolname = dbs.datname || ${quoteLiteral(
      CREDENTIAL_TWIN_SUFFIXES.read,
    )}
    LEFT JOIN pg_catalog.pg_roles wt ON wt.rolname = dbs.datname || ${quoteLiteral(
      CREDENTIAL_TWIN_SUFFIXES.write,
    )}
    LEFT JOIN pg_catalog.pg_roles adt ON adt.rolname = dbs.datname || ${quoteLiteral(
      CREDENTIAL_TWIN_SUFFIXES.admin,
    )}
    LEFT JOIN activity ON activity.datid = dbs.oid
  ), '[]'::json) AS databases
`;

const PUBLIC_SCHEMA_OWNER_SQL = `
SELECT pg_catalog.pg_get_userbyid(n.nspowner) AS owner
FROM pg_catalog.pg_namespace n
WHERE n.nspname = 'public'
`;

interface ObservedRow {
  name: string;
  size: number | string;
  read: boolean;
  write: boolean;
  admin: boolean;
  adminOwnsDatabase: boolean;
  twins: Record<RoleAccess, boolean>;
  connections: number;
}

/** A database dropped between listing and sizing it: worth one more try. */
const UNDEFINED_DATABASE = '3D000';

/**
 * Observes a PostgreSQL cluster (self-hosted or Aurora) through one admin
 * connection per pass. Never throws for connectivity: an unreachable
 * cluster, a timeout or a refused login is an observation with
 * `reachable: false` and a one-line error without credentials.
 *
 * @public
 */
export class PostgresClusterObserver implements ClusterObserver {
  readonly cluster: string;
  readonly #connection: ClusterConnection;
  readonly #connectionTimeoutMillis: number;
  readonly #statementTimeoutMillis: number;
  readonly #publicSchemaCheck: 'database-owner' | 'schema-owner';

  constructor(options: PostgresClusterObserverOptions) {
    this.cluster = options.cluster;
    this.#connection = options.connection;
    this.#connectionTimeoutMillis = options.connectionTimeoutMillis ?? 5_000;
    this.#statementTimeoutMillis = options.statementTimeoutMillis ?? 15_000;
    this.#publicSchemaCheck = options.publicSchemaCheck ?? 'database-owner';
  }

  async observe(): Promise<ClusterObservation> {
    const observedAt = new Date();
    try {
      return await withClusterClient(
        this.#connection,
        this.#clientOptions(),
        client => this.#observe(client, observedAt),
      );
    } catch (error) {
      return {
        cluster: this.cluster,
        reachable: false,
        observedAt,
        error: this.#describeFailure(error),
      };
    }
  }

  async #observe(
    client: Client,
    observedAt: Date,
  ): Promise<ClusterObservation> {
    const { serverVersion, rows } = await this.#query(client);
    const databases = new Map<string, ObservedDatabase>();
    for (const row of rows) {
      databases.set(row.name, {
        databaseName: row.name,
        sizeBytes: Number(row.size),
        roles: { read: row.read, write: row.write, admin: row.admin },
        adminOwnsPublicSchema: row.adminOwnsDatabase,
        // Only where a rotation made twins, so that other databases
        // look as they always did.
        ...(Object.values(row.twins).some(Boolean) && {
          credentialTwins: row.twins,
        }),
        connections: row.connections,
      });
    }
    if (this.#publicSchemaCheck === 'schema-owner') {
      await this.#checkSchemaOwners(databases);
    }
    return {
      cluster: this.cluster,
      reachable: true,
      observedAt,
      serverVersion,
      databases,
    };
  }

  #clientOptions(database?: string): PgClientOptions {
    return {
      database,
      connectionTimeoutMillis: this.#connectionTimeoutMillis,
      statementTimeoutMillis: this.#statementTimeoutMillis,
      applicationName: 'backstage-dbaas-observer',
    };
  }

  async #query(
    client: Client,
  ): Promise<{ serverVersion: string; rows: ObservedRow[] }> {
    const run = async () => {
      const result = await client.query<{
        server_version: string;
        databases: ObservedRow[];
      }>(OBSERVE_SQL);
      const [row] = result.rows;
      return {
        serverVersion: row.server_version,
        rows: row.databases,
      };
    };
    try {
      return await run();
    } catch (error) {
      // pg_database_size fails when a database is dropped while we look.
      if ((error as { code?: string }).code === UNDEFINED_DATABASE) {
        return await run();
      }
      throw error;
    }
  }

  /** See `publicSchemaCheck: 'schema-owner'`. */
  async #checkSchemaOwners(databases: Map<string, ObservedDatabase>) {
    for (const db of databases.values()) {
      const allRoles = (['read', 'write', 'admin'] as RoleAccess[]).every(
        access => db.roles[access],
      );
      if (!allRoles || db.adminOwnsPublicSchema) {
        continue;
      }
      try {
        const { rows } = await withClusterClient(
          this.#connection,
          this.#clientOptions(db.databaseName),
          client => client.query<{ owner: string }>(PUBLIC_SCHEMA_OWNER_SQL),
        );
        db.adminOwnsPublicSchema =
          rows[0]?.owner === `${db.databaseName}-admin`;
      } catch {
        // Not allowed to connect (CONNECT revoked from the observer) or the
        // database went away: leave it as not owned, which is what we know.
      }
    }
  }

  #describeFailure(error: unknown): string {
    const message = redactSecrets(errorMessageLine(error), [
      this.#connection.password,
    ]);
    return `Cannot observe cluster '${this.cluster}' at ${describeConnection(
      this.#connection,
    )}: ${message || 'unknown error'}`;
  }
}
