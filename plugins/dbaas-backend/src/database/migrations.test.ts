import { TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import {
  applyDatabaseMigrations,
  DBAAS_MIGRATIONS_DIRECTORY,
} from './migrations';

jest.setTimeout(60_000);

// Only PostgreSQL: the suite's clusters are PostgreSQL, and SQLite crashes
// under Node 24 here (see shared TOOLCHAIN notes in the README).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('migrations', () => {
  it.each(databases.eachSupportedId())(
    'create the inventory tables and roll back cleanly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      await applyDatabaseMigrations(database);

      await knex('dbaas_databases').insert({
        namespace: 'payments',
        name: 'ledger',
        database_name: 'payments-ledger',
        status: 'requested',
        status_since: new Date(),
      });
      // '<namespace>-<name>' is unique: a colliding pair cannot be stored.
      await expect(
        knex('dbaas_databases').insert({
          namespace: 'payments-ledger'.slice(0, 3),
          name: 'ments-ledger',
          database_name: 'payments-ledger',
          status: 'requested',
          status_since: new Date(),
        }),
      ).rejects.toThrow(/unique|duplicate/i);
      await knex('dbaas_database_status_history').insert({
        namespace: 'payments',
        name: 'ledger',
        to_status: 'requested',
        reason: 'pull request opened',
      });

      // A second run is a no-op.
      await applyDatabaseMigrations(database);
      expect(await knex('dbaas_databases').count({ n: '*' })).toEqual([
        { n: '1' },
      ]);

      await knex.migrate.rollback(
        { directory: DBAAS_MIGRATIONS_DIRECTORY },
        true,
      );
      expect(await knex.schema.hasTable('dbaas_databases')).toBe(false);
      expect(await knex.schema.hasTable('dbaas_database_status_history')).toBe(
        false,
      );
    },
  );
});
