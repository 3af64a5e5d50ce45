import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Knex, knex as createKnex } from 'knex';
import { requirePostgres } from './requirePostgres';

/**
 * Knex clients as the database service returns them. Nothing here
 * connects: better-sqlite3's native addon does not load under this Node,
 * and the check only reads the client's configuration.
 */
const clients: Knex[] = [];
function client(config: Knex.Config): Knex {
  const k = createKnex(config);
  clients.push(k);
  return k;
}
const sqlite = () =>
  client({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });

afterAll(async () => {
  for (const k of clients) {
    await k.destroy();
  }
});

describe('requirePostgres', () => {
  it('lets PostgreSQL through, under any of its client names', () => {
    for (const name of ['pg', 'postgres', 'postgresql']) {
      expect(() =>
        requirePostgres(
          client({ client: name, connection: 'postgresql://x@127.0.0.1/x' }),
        ),
      ).not.toThrow();
    }
  });

  it('refuses SQLite in one sentence that names the key to change', () => {
    expect(() =>
      requirePostgres(
        sqlite(),
        new ConfigReader({
          backend: { database: { client: 'better-sqlite3' } },
        }),
      ),
    ).toThrow(
      new InputError(
        "The dbaas backend plugin needs PostgreSQL, but backend.database.client is 'better-sqlite3'; set backend.database.client to 'pg' with a connection to a PostgreSQL server",
      ),
    );
  });

  it('names the per-plugin key when the plugin has a database config of its own', () => {
    expect(() =>
      requirePostgres(
        sqlite(),
        new ConfigReader({
          backend: {
            database: {
              client: 'pg',
              plugin: { dbaas: { client: 'better-sqlite3' } },
            },
          },
        }),
      ),
    ).toThrow(
      "The dbaas backend plugin needs PostgreSQL, but backend.database.plugin.dbaas.client is 'better-sqlite3'; set backend.database.plugin.dbaas.client to 'pg' with a connection to a PostgreSQL server",
    );
  });

  it('names both keys when config does not say where the client came from', () => {
    expect(() => requirePostgres(sqlite())).toThrow(
      "The dbaas backend plugin needs PostgreSQL, but its database client is 'better-sqlite3'; set backend.database.client (or backend.database.plugin.dbaas.client) to 'pg' with a connection to a PostgreSQL server",
    );
  });
});
