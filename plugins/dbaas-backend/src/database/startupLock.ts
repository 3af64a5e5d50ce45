import { SchedulerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The advisory lock's key in the plugin's database ('dbaas' in ASCII). */
const STARTUP_LOCK_KEY = 0x6462616173;

/**
 * Runs `fn` while this process holds the plugin's startup lock, a
 * PostgreSQL advisory lock in the plugin's database (other replicas wait
 * for it). knex's migrations check that their own tables exist, then
 * create them, outside their lock: replicas starting together on a new
 * database both try, and one fails its startup ("relation
 * knex_migrations already exists"). The lock is a transaction's, held on
 * one pooled connection while `fn` uses others, and ends with it, also
 * when the process dies.
 */
export async function withStartupLock<T>(
  knex: Knex,
  fn: () => Promise<T>,
): Promise<T> {
  return knex.transaction(async trx => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [STARTUP_LOCK_KEY]);
    return fn();
  });
}

/**
 * The scheduler, registering tasks under the startup lock: the first
 * global task a plugin registers creates Backstage's scheduler tables in
 * the plugin's database with knex migrations, which race the same way.
 */
export function registeringUnderStartupLock(
  scheduler: SchedulerService,
  knex: Knex,
): SchedulerService {
  const locked: SchedulerService = {
    triggerTask: id => scheduler.triggerTask(id),
    cancelTask: id => scheduler.cancelTask(id),
    getScheduledTasks: () => scheduler.getScheduledTasks(),
    scheduleTask: task =>
      withStartupLock(knex, () => scheduler.scheduleTask(task)),
    createScheduledTaskRunner: schedule => ({
      run: task => locked.scheduleTask({ ...task, ...schedule }),
    }),
  };
  return locked;
}
