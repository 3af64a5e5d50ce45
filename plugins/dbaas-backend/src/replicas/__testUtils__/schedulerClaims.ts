import { Client } from 'pg';
import { TaskClaim } from './taskRunCycles';

/**
 * Backstage's scheduler keeps one row per global task in the plugin's
 * database (backend-defaults, scheduler/lib/TaskWorker): a replica runs a
 * cycle after setting the row's `current_run_ticket` from null, when
 * `next_run_start_at` has come, and on release moves `next_run_start_at`
 * one period on. The row keeps only the present; this trigger, installed
 * by the test in its throwaway database, keeps every claim: the cycles
 * the scheduler handed out, to count the runs of each against.
 */
export async function recordSchedulerClaims(pluginDb: Client): Promise<void> {
  await pluginDb.query(`
    CREATE TABLE test_task_claims (
      task_id text NOT NULL,
      claimed_at timestamptz NOT NULL,
      due_at timestamptz
    )`);
  await pluginDb.query(`
    CREATE FUNCTION test_record_task_claim() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO test_task_claims
        VALUES (NEW.id, clock_timestamp(), OLD.next_run_start_at);
      RETURN NULL;
    END $$`);
  // The WHEN clause names the columns, so a scheduler that no longer has
  // them fails here, not in its own updates.
  await pluginDb.query(`
    CREATE TRIGGER test_record_task_claim
      AFTER UPDATE ON backstage_backend_tasks__tasks
      FOR EACH ROW
      WHEN (OLD.current_run_ticket IS NULL
        AND NEW.current_run_ticket IS NOT NULL)
      EXECUTE FUNCTION test_record_task_claim()`);
}

export async function readSchedulerClaims(
  pluginDb: Client,
): Promise<TaskClaim[]> {
  const { rows } = await pluginDb.query<{
    task_id: string;
    at: string;
    due_at: string | null;
  }>(`
    SELECT task_id,
           extract(epoch FROM claimed_at) * 1000 AS at,
           extract(epoch FROM due_at) * 1000 AS due_at
      FROM test_task_claims ORDER BY claimed_at`);
  return rows.map(row => ({
    taskId: row.task_id,
    at: Number(row.at),
    dueAt: row.due_at === null ? Number(row.at) : Number(row.due_at),
  }));
}
