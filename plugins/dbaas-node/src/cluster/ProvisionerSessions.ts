import { Client } from 'pg';
import { ForwardedError } from '@backstage/errors';
import { redactError, redactSecrets } from '../secrets/redact';
import { ClusterConnection, PgClientOptions } from './connectionConfig';
import { openClusterClient, withClusterClient } from './openClusterClient';
import { ProvisioningRun } from './ProvisioningRun';
import { sqlState } from './sqlState';

/**
 * First key of the session advisory lock taken per database ('dbas'), so
 * our locks do not collide with other users of `pg_advisory_lock` on the
 * same cluster. The second key is `hashtext(<database name>)`.
 */
const LOCK_CLASS = 0x64626173;

/** What the provisioner's sessions need from its options. */
export interface ProvisionerSessionOptions {
  cluster: string;
  connection: ClusterConnection;
  connectionTimeoutMillis?: number;
  lockTimeoutMillis?: number;
}

/**
 * The provisioner's connections to one cluster: the admin session that
 * holds a database's advisory lock for a whole reconcile or drop, and the
 * short sessions inside tenant databases.
 */
export class ProvisionerSessions {
  readonly #options: ProvisionerSessionOptions;

  constructor(options: ProvisionerSessionOptions) {
    this.#options = options;
  }

  /** A connected session on `database` (the caller ends it). */
  open(database: string): Promise<Client> {
    return openClusterClient(
      this.#options.connection,
      this.#clientOptions(database),
    );
  }

  #clientOptions(database?: string): PgClientOptions {
    return {
      database,
      connectionTimeoutMillis: this.#options.connectionTimeoutMillis,
      lockTimeoutMillis: this.#options.lockTimeoutMillis ?? 60_000,
      applicationName: 'backstage-dbaas-provisioner',
    };
  }

  /**
   * Connects, takes the per-database advisory lock, runs `fn`, and turns
   * any failure into a `ForwardedError` naming the database and step, with
   * every password handled in this run removed.
   */
  async withAdminSession(
    run: ProvisioningRun,
    fn: (admin: Client) => Promise<void>,
  ): Promise<void> {
    try {
      // Ending the session (withClusterClient does) releases the lock.
      await withClusterClient(
        this.#options.connection,
        this.#clientOptions(),
        async admin => {
          await run.at('wait for other reconciles of this database', () =>
            admin.query('SELECT pg_advisory_lock($1, hashtext($2))', [
              LOCK_CLASS,
              run.names.databaseName,
            ]),
          );
          await fn(admin);
        },
      );
    } catch (error) {
      throw this.#wrap(run, error);
    }
  }

  #wrap(run: ProvisioningRun, error: unknown): Error {
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
      `Could not ${run.step} for database '${
        run.names.databaseName
      }' on cluster '${this.#options.cluster}'`,
      cause,
    );
  }
}

/**
 * Ends every session logged in as `role`: sessions in other databases
 * (e.g. `postgres`) would keep using a dropped role.
 */
export async function terminateSessionsOfRole(
  admin: Client,
  role: string,
): Promise<void> {
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = $1',
    [role],
  );
}

/** Ends every other session connected to `databaseName`. */
export async function terminateSessionsOnDatabase(
  admin: Client,
  databaseName: string,
): Promise<void> {
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [databaseName],
  );
}
