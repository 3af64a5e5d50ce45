import { ConflictError } from '@backstage/errors';
import { AdminSession } from './AdminSession';

/** The three names an in-place restore moves between. */
export interface SwapNames {
  original: string;
  scratch: string;
  safetyCopy: string;
}

export type SwapProgress = 'swapped' | 'already-swapped';

/**
 * Puts a restored scratch database in the original's place, keeping the
 * original as the safety copy:
 *
 *   1. block new connections to the original, end its sessions
 *   2. rename original -> safety copy
 *   3. rename scratch -> original
 *   4. allow connections again (both)
 *
 * Which renames already happened is read from the catalog (which of the
 * three names exist), never from memory, so running it again after a crash
 * between any two statements finishes the same swap.
 */
export async function swapDatabases(
  session: AdminSession,
  names: SwapNames,
  onProgress: (message: string) => Promise<void> = async () => {},
): Promise<SwapProgress> {
  const { original, scratch, safetyCopy } = names;
  const read = () => session.databases([original, scratch, safetyCopy]);
  let dbs = await read();

  if (!dbs.has(scratch) && dbs.has(original) && dbs.has(safetyCopy)) {
    await session.setAllowConnections(original, true);
    await session.setAllowConnections(safetyCopy, true);
    return 'already-swapped';
  }
  if (dbs.has(scratch) && dbs.has(original) && !dbs.has(safetyCopy)) {
    // Nobody may connect between the terminate and the rename.
    await session.setAllowConnections(original, false);
    const ended = await session.terminateSessions(original);
    await onProgress(
      `blocked new connections to '${original}' and ended ${ended} session(s)`,
    );
    await session.renameDatabase(original, safetyCopy);
    dbs = await read();
  }
  if (dbs.has(scratch) && !dbs.has(original) && dbs.has(safetyCopy)) {
    await session.renameDatabase(scratch, original);
    await session.setAllowConnections(original, true);
    // The safety copy stays readable for comparisons; its grants still
    // limit it to the database's own roles.
    await session.setAllowConnections(safetyCopy, true);
    await onProgress(
      `'${original}' now holds the restored data; the previous data is in '${safetyCopy}'`,
    );
    return 'swapped';
  }
  throw new ConflictError(
    `Cannot swap '${scratch}' into '${original}': expected the restored and the original database, found ${describe(
      names,
      dbs,
    )}`,
  );
}

/**
 * Undoes whatever part of a swap happened: a half-done swap (original
 * renamed away) is put back, a blocked original is opened again, and with
 * `undoCompletedSwap` a finished swap is reversed too (the restored data
 * moves back to the scratch name). Then the scratch database is dropped.
 * Safe to repeat.
 */
export async function rollBackSwap(
  session: AdminSession,
  names: SwapNames,
  options: { undoCompletedSwap: boolean },
  onProgress: (message: string) => Promise<void> = async () => {},
): Promise<void> {
  const { original, scratch, safetyCopy } = names;
  let dbs = await session.databases([original, scratch, safetyCopy]);

  if (
    options.undoCompletedSwap &&
    dbs.has(original) &&
    dbs.has(safetyCopy) &&
    !dbs.has(scratch)
  ) {
    await session.setAllowConnections(original, false);
    await session.terminateSessions(original);
    await session.renameDatabase(original, scratch);
    await onProgress(
      `moved the restored data in '${original}' back to '${scratch}'`,
    );
    dbs = await session.databases([original, scratch, safetyCopy]);
  }
  if (!dbs.has(original) && dbs.has(safetyCopy)) {
    await session.terminateSessions(safetyCopy);
    await session.renameDatabase(safetyCopy, original);
    await onProgress(`put the original data back as '${original}'`);
    dbs = await session.databases([original, scratch, safetyCopy]);
  }
  if (dbs.has(original) && !dbs.get(original)!.allowConnections) {
    await session.setAllowConnections(original, true);
    await onProgress(`allowed connections to '${original}' again`);
  }
  if (await session.dropDatabase(scratch)) {
    await onProgress(`dropped the scratch database '${scratch}'`);
  }
}

function describe(names: SwapNames, dbs: Map<string, unknown>): string {
  return Object.values(names)
    .map(name => `'${name}' ${dbs.has(name) ? 'present' : 'absent'}`)
    .join(', ');
}
