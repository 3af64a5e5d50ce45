import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { readdirSync } from 'node:fs';
import knexFactory, { Knex } from 'knex';
import {
  applyDatabaseMigrations,
  DBAAS_MIGRATIONS_DIRECTORY,
} from './migrations';
import { registeringUnderStartupLock, withStartupLock } from './startupLock';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const opened: Knex[] = [];
// Before TestDatabases drops the databases, which waits for their clients.
afterEach(() => Promise.all(opened.splice(0).map(k => k.destroy())));

/** A fresh database and two clients of it, as two replicas have. */
async function twoReplicas(): Promise<[Knex, Knex]> {
  const first = await databases.init('POSTGRES_15');
  const second = knexFactory({
    client: 'pg',
    connection: first.client.config.connection,
  });
  opened.push(second);
  return [first, second];
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('startup lock', () => {
  it('lets replicas migrate a new database at the same time', async () => {
    // Without the lock, 9 of 10 such rounds failed here: both replicas
    // created knex's migration tables ("... already exists").
    const files = readdirSync(DBAAS_MIGRATIONS_DIRECTORY).filter(f =>
      f.endsWith('.js'),
    );
    for (let round = 0; round < 4; round++) {
      const clients = await twoReplicas();
      await Promise.all(
        clients.map(knex =>
          applyDatabaseMigrations(mockServices.database({ knex })),
        ),
      );
      const applied = await clients[0]('knex_migrations').select('name');
      expect(applied.map(row => row.name).sort()).toEqual(files.sort());
    }
  });

  it('holds another replica off until the holder is done', async () => {
    const [a, b] = await twoReplicas();
    const events: string[] = [];
    const release = deferred();
    const holding = deferred();
    const first = withStartupLock(a, async () => {
      events.push('a in');
      holding.resolve();
      await release.promise;
      events.push('a out');
    });
    await holding.promise;
    const second = withStartupLock(b, async () => {
      events.push('b in');
      return 'b done';
    });
    await sleep(300);
    expect(events).toEqual(['a in']);

    release.resolve();
    await first;
    expect(await second).toBe('b done');
    expect(events).toEqual(['a in', 'a out', 'b in']);
  });

  it('releases the lock when the holder fails', async () => {
    const [a, b] = await twoReplicas();
    await expect(
      withStartupLock(a, async () => {
        throw new Error('migration failed');
      }),
    ).rejects.toThrow('migration failed');
    await expect(withStartupLock(b, async () => 'next')).resolves.toBe('next');
  });

  it('registers scheduled tasks under the lock, and passes the rest on', async () => {
    const [a, b] = await twoReplicas();
    const scheduler = mockServices.scheduler.mock();
    const locked = registeringUnderStartupLock(scheduler, b);
    const release = deferred();
    const holding = deferred();
    const holder = withStartupLock(a, async () => {
      holding.resolve();
      await release.promise;
    });
    await holding.promise;
    const task = {
      id: 'dbaas-x',
      frequency: { seconds: 5 },
      timeout: { seconds: 5 },
      fn: async () => {},
    };
    const registered = locked.scheduleTask(task);
    const viaRunner = locked
      .createScheduledTaskRunner({
        frequency: { seconds: 7 },
        timeout: { seconds: 7 },
      })
      .run({ id: 'dbaas-y', fn: task.fn });
    await sleep(300);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();

    release.resolve();
    await Promise.all([holder, registered, viaRunner]);
    expect(scheduler.scheduleTask.mock.calls.map(([t]) => t.id).sort()).toEqual(
      ['dbaas-x', 'dbaas-y'],
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'dbaas-y', frequency: { seconds: 7 } }),
    );
    await locked.triggerTask('dbaas-x');
    await locked.cancelTask('dbaas-x');
    await locked.getScheduledTasks();
    expect(scheduler.triggerTask).toHaveBeenCalledWith('dbaas-x');
    expect(scheduler.cancelTask).toHaveBeenCalledWith('dbaas-x');
    expect(scheduler.getScheduledTasks).toHaveBeenCalled();
  });
});
