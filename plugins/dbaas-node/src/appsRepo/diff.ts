import { structuredPatch } from 'diff';
import type { FileEdit, ReadFile } from './types';

const CONTEXT_LINES = 3;

function range(start: number, lines: number): string {
  // Like git: an empty side starts at the line before; a count of 1 is implied.
  const first = lines === 0 ? start - 1 : start;
  return lines === 1 ? `${first}` : `${first},${lines}`;
}

function fileDiff(
  path: string,
  before: string | undefined,
  after: string | null,
): string {
  const header = [`diff --git a/${path} b/${path}`];
  if (before === undefined) {
    header.push('new file mode 100644');
  } else if (after === null) {
    header.push('deleted file mode 100644');
  }
  header.push(`--- ${before === undefined ? '/dev/null' : `a/${path}`}`);
  header.push(`+++ ${after === null ? '/dev/null' : `b/${path}`}`);

  const { hunks } = structuredPatch(
    `a/${path}`,
    `b/${path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: CONTEXT_LINES },
  );
  const body = hunks.flatMap(hunk => [
    `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(
      hunk.newStart,
      hunk.newLines,
    )} @@`,
    ...hunk.lines,
  ]);
  return `${[...header, ...body].join('\n')}\n`;
}

/**
 * A git-style unified diff of what `edits` do to the files `read` returns:
 * one section per changed file (`--- a/path` / `+++ b/path`, `/dev/null`
 * for created or deleted files), in path order; an empty string when
 * nothing changes. When several edits name one path, the last one wins.
 *
 * @public
 */
export async function unifiedDiff(
  edits: FileEdit[],
  read: ReadFile,
): Promise<string> {
  const finalContent = new Map<string, string | null>();
  for (const edit of edits) {
    finalContent.set(edit.path, edit.content);
  }
  // Default sort: by UTF-16 code units, the same order for every locale.
  const paths = [...finalContent.keys()].sort();
  const sections: string[] = [];
  for (const path of paths) {
    const after = finalContent.get(path)!;
    const before = await read(path);
    if (before === after || (before === undefined && after === null)) {
      continue;
    }
    sections.push(fileDiff(path, before, after));
  }
  return sections.join('');
}
