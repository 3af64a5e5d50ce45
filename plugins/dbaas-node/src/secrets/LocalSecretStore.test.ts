import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { LOCAL_SECRETS_TABLE, LocalSecretStore } from './LocalSecretStore';

jest.setTimeout(60_000);

// The real PostgreSQL that scripts/test.sh starts; each run gets its own
// logical database. (SQLite is not available: better-sqlite3 has no native
// build in this workspace.)
const ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const hasPostgres = Boolean(process.env[ENV]);
const ids: TestDatabaseId[] = ['POSTGRES_15'];
const databases = TestDatabases.create({ ids: hasPostgres ? ids : [] });
const describeEachDatabase = hasPostgres
  ? describe.each(databases.eachSupportedId())
  : describe.skip.each([['POSTGRES_15' as TestDatabaseId]]);
const title = hasPostgres
  ? 'LocalSecretStore on %s'
  : `LocalSecretStore on %s [skipped: ${ENV} is not set; scripts/test.sh sets it]`;

/** The table as the backend's migration creates it. */
async function createTable(knex: Knex) {
  await knex.schema.createTable(LOCAL_SECRETS_TABLE, table => {
    table.string('path', 512).primary();
    table.string('username').notNullable();
    table.text('password').notNullable();
    table.string('endpoint').notNullable();
    table.integer('port').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

const secret = {
  username: 'team-a-orders-read',
  password: 'Very-Secret-Password-0123456789',
  endpoint: 'db.internal',
  port: 5432,
};

/** What a promise rejected with; fails the test if it resolved. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describeEachDatabase(title, id => {
  let knex: Knex;
  let store: LocalSecretStore;

  beforeAll(async () => {
    knex = await databases.init(id);
    await createTable(knex);
    store = new LocalSecretStore({ database: knex });
  });

  it('stores, reads, replaces and deletes a secret', async () => {
    const path = 'customer/team-a/team-a-orders-read';
    expect(await store.get(path)).toBeUndefined();

    await store.put(path, secret);
    expect(await store.get(path)).toEqual(secret);

    await store.put(path, {
      ...secret,
      password: 'Another-Password-123456',
      port: 6432,
    });
    expect(await store.get(path)).toEqual({
      ...secret,
      password: 'Another-Password-123456',
      port: 6432,
    });
    expect(await knex(LOCAL_SECRETS_TABLE).count({ n: '*' })).toEqual([
      { n: expect.anything() },
    ]);

    await store.delete(path);
    expect(await store.get(path)).toBeUndefined();
    await expect(store.delete(path)).resolves.toBeUndefined();
  });

  it('describes a secret with metadata only', async () => {
    const path = 'customer/team-a/team-a-orders-write';
    expect(await store.describe(path, 'write')).toEqual({
      path,
      access: 'write',
      exists: false,
    });
    const before = Date.now();
    await store.put(path, secret);
    const metadata = await store.describe(path, 'write');
    expect(metadata).toEqual({
      path,
      access: 'write',
      exists: true,
      updatedAt: expect.any(Date),
    });
    expect(metadata.updatedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.stringify(metadata)).not.toContain(secret.password);
  });

  it('wraps database errors with the path, never the password', async () => {
    const broken = new LocalSecretStore({ database: knex });
    await knex.schema.renameTable(LOCAL_SECRETS_TABLE, 'moved_away');
    try {
      const error = await rejection(broken.put('customer/team-a/x', secret));
      expect(error.message).toMatch(
        /^Could not store the local secret 'customer\/team-a\/x'; caused by /,
      );
      expect(`${error.message}${error.stack}`).not.toContain(secret.password);
    } finally {
      await knex.schema.renameTable('moved_away', LOCAL_SECRETS_TABLE);
    }
  });

  it('refuses an empty path', async () => {
    await expect(store.get(' ')).rejects.toMatchObject({ name: 'InputError' });
  });
});
