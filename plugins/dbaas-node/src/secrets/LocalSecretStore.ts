import { Knex } from 'knex';
import { ForwardedError, InputError } from '@backstage/errors';
import { RoleAccess } from '@dbaas/plugin-dbaas-common';
import { redactError } from './redact';
import { DatabaseSecretStore, RoleSecret, RoleSecretMetadata } from './types';

/**
 * Table of the local secret store, created by the dbaas backend's
 * migrations with columns `path` (primary key), `username`, `password`,
 * `endpoint`, `port` and `updated_at`.
 *
 * @public
 */
export const LOCAL_SECRETS_TABLE = 'dbaas_local_secrets';

interface SecretRow {
  path: string;
  username: string;
  password: string;
  endpoint: string;
  port: number | string;
  updated_at: Date | string;
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function checkPath(path: string) {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new InputError('A secret path must be a non-empty string');
  }
}

/**
 * Role credentials in a table of the plugin's own database: the secret
 * store of the embedded default (dev and tests), standing in for AWS
 * Secrets Manager. Only the provisioner reads passwords back (to re-use
 * them on reconcile); no route ever serves them, and `describe` returns
 * metadata only. Production uses {@link AwsSecretsManagerStore}.
 *
 * @public
 */
export class LocalSecretStore implements DatabaseSecretStore {
  readonly #db: Knex;

  constructor(options: { database: Knex }) {
    this.#db = options.database;
  }

  async put(path: string, secret: RoleSecret): Promise<void> {
    checkPath(path);
    await this.#run('store', path, [secret.password], () =>
      this.#db<SecretRow>(LOCAL_SECRETS_TABLE)
        .insert({
          path,
          username: secret.username,
          password: secret.password,
          endpoint: secret.endpoint,
          port: secret.port,
          updated_at: new Date(),
        })
        .onConflict('path')
        .merge(),
    );
  }

  async get(path: string): Promise<RoleSecret | undefined> {
    checkPath(path);
    const row = await this.#run('read', path, [], () =>
      this.#db<SecretRow>(LOCAL_SECRETS_TABLE)
        .where({ path })
        .first('username', 'password', 'endpoint', 'port'),
    );
    if (!row) {
      return undefined;
    }
    return {
      username: row.username,
      password: row.password,
      endpoint: row.endpoint,
      port: Number(row.port),
    };
  }

  async describe(
    path: string,
    access: RoleAccess,
  ): Promise<RoleSecretMetadata> {
    checkPath(path);
    // Selects only metadata columns: the password never leaves the table here.
    const row = await this.#run('describe', path, [], () =>
      this.#db<SecretRow>(LOCAL_SECRETS_TABLE)
        .where({ path })
        .first('updated_at'),
    );
    return row
      ? { path, access, exists: true, updatedAt: toDate(row.updated_at) }
      : { path, access, exists: false };
  }

  async delete(path: string): Promise<void> {
    checkPath(path);
    await this.#run('delete', path, [], () =>
      this.#db(LOCAL_SECRETS_TABLE).where({ path }).delete(),
    );
  }

  /**
   * Wraps database errors with the secret path. Knex adds the failed SQL
   * to its messages, with bind values replaced by `$n`; the password is
   * still removed in case a driver ever quotes a value.
   */
  async #run<T>(
    action: string,
    path: string,
    secrets: string[],
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new ForwardedError(
        `Could not ${action} the local secret '${path}'`,
        redactError(error, secrets),
      );
    }
  }
}
