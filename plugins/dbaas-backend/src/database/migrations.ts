import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { withStartupLock } from './startupLock';

const migrationsDir = resolvePackagePath(
  '@dbaas/plugin-dbaas-backend',
  'migrations',
);

/**
 * Brings the plugin's database to the latest schema, unless the operator
 * manages migrations separately (`backend.database.skipMigrations`); one
 * replica at a time (see withStartupLock).
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<void> {
  const client = await database.getClient();
  if (database.migrations?.skip) {
    return;
  }
  await withStartupLock(client, () =>
    client.migrate.latest({ directory: migrationsDir }),
  );
}

/** Exposed for tests that need to check the down migrations too. */
export const DBAAS_MIGRATIONS_DIRECTORY = migrationsDir;
