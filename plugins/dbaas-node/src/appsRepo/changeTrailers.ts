/**
 * Trailer every commit of the suite carries (`Dbaas-Change: <branch>`), so
 * that a branch can be recognised as the suite's own before it is updated.
 *
 * @public
 */
export const DBAAS_CHANGE_TRAILER = 'Dbaas-Change';

/**
 * Trailer naming the request (scaffolder task) a commit of the suite was
 * made for (`Dbaas-Task: <task id>`): a branch is per database, and this
 * tells a retry of the same request from another request for it.
 *
 * @public
 */
export const DBAAS_TASK_TRAILER = 'Dbaas-Task';

/** Whose a suite branch's head commit is, seen from one change. */
export type BranchHeadOwner =
  /** Made by the suite for this change (same task, or no task on either side). */
  | 'mine'
  /** Made by the suite for this branch, for another request. */
  | 'other-request'
  /** Not made by the suite for this branch (someone pushed, or another tool). */
  | 'foreign';

function trailerLines(branch: string, taskId: string | undefined): string[] {
  const lines = [`${DBAAS_CHANGE_TRAILER}: ${branch}`];
  if (taskId !== undefined) {
    lines.push(`${DBAAS_TASK_TRAILER}: ${oneLine(taskId)}`);
  }
  return lines;
}

// A task id is ours (a UUID), but a trailer must stay one line whatever it is.
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function readTrailer(message: string, key: string): string | undefined {
  const prefix = `${key}:`;
  const values = message
    .split('\n')
    .map(line => line.trim())
    .filter(line => line.startsWith(prefix))
    .map(line => line.slice(prefix.length).trim());
  return values.length > 0 ? values[values.length - 1] : undefined;
}

/**
 * The commit message with the suite's trailers (`Dbaas-Change`, and
 * `Dbaas-Task` when the change names its task) after a blank line.
 */
export function withChangeTrailers(
  message: string,
  branch: string,
  taskId: string | undefined,
): string {
  const text = String(message || branch).trimEnd();
  const present = new Set(text.split('\n').map(line => line.trim()));
  const missing = trailerLines(branch, taskId).filter(l => !present.has(l));
  return missing.length === 0
    ? `${text}\n`
    : `${text}\n\n${missing.join('\n')}\n`;
}

/** Whether a commit message carries `Dbaas-Change: <branch>`. */
export function isSuiteCommitOf(message: string, branch: string): boolean {
  return readTrailer(message, DBAAS_CHANGE_TRAILER) === branch;
}

/** The task a suite commit names, if any. */
export function taskOfCommit(message: string): string | undefined {
  return readTrailer(message, DBAAS_TASK_TRAILER);
}

/** Whose the head commit of `branch` is, for a change of task `taskId`. */
export function branchHeadOwner(
  message: string,
  branch: string,
  taskId: string | undefined,
): BranchHeadOwner {
  if (!isSuiteCommitOf(message, branch)) return 'foreign';
  const task = taskOfCommit(message);
  if (taskId === undefined || task === undefined) {
    // Without a task on one side there is nothing to tell them apart:
    // earlier versions' commits and callers without tasks.
    return taskId === undefined ? 'mine' : 'other-request';
  }
  return task === oneLine(taskId) ? 'mine' : 'other-request';
}
