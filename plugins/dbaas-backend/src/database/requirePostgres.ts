import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

const GLOBAL_CLIENT_KEY = 'backend.database.client';
const PLUGIN_CLIENT_KEY = 'backend.database.plugin.dbaas.client';

/**
 * Refuses to go on unless the plugin's database is PostgreSQL: its
 * migrations and queries use PostgreSQL features, and on anything else
 * they would fail later with a driver error that says nothing about the
 * configuration. The knex client the database service returns is what
 * counts, so a per-plugin override (`backend.database.plugin.dbaas`) is
 * covered too; `config` only names the key to change.
 */
export function requirePostgres(knex: Knex, config?: Config): void {
  const client = knex.client;
  if (client.dialect === 'postgresql') {
    return;
  }
  const configured = client.config.client;
  const name =
    typeof configured === 'string' ? configured : client.dialect ?? 'unknown';
  let key: string | undefined;
  if (config?.getOptionalString(PLUGIN_CLIENT_KEY) !== undefined) {
    key = PLUGIN_CLIENT_KEY;
  } else if (config?.getOptionalString(GLOBAL_CLIENT_KEY) !== undefined) {
    key = GLOBAL_CLIENT_KEY;
  }
  const found = key
    ? `${key} is '${name}'`
    : `its database client is '${name}'`;
  const change = key ?? `${GLOBAL_CLIENT_KEY} (or ${PLUGIN_CLIENT_KEY})`;
  throw new InputError(
    `The dbaas backend plugin needs PostgreSQL, but ${found}; set ${change} to 'pg' with a connection to a PostgreSQL server`,
  );
}
