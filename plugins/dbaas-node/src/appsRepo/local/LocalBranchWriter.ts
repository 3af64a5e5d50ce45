import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForwardedError, InputError } from '@backstage/errors';
import type { FileEdit } from '../types';
import { GitRunner } from './git';
import { LocalRepoConnection } from './LocalRepoConnection';

/** One ref move of {@link LocalBranchWriter.updateRefs}. */
export interface RefUpdate {
  ref: string;
  newSha: string;
  /** Where the ref must still point; `undefined`: it must not exist. */
  oldSha?: string;
}

/**
 * Writes a change into the local repository with git plumbing only, never
 * touching the work tree or the index people may be using: the tree is
 * built in a temporary index (`read-tree`, `hash-object`, `update-index`,
 * `write-tree`), the commit with `commit-tree`, and the refs are moved in
 * one atomic `update-ref --stdin` transaction that fails when another
 * writer moved them first.
 */
export class LocalBranchWriter {
  constructor(private readonly connection: LocalRepoConnection) {}

  /** The tree of `baseSha` with `edits` applied, built in a temporary index. */
  async buildTree(
    git: GitRunner,
    baseSha: string,
    edits: FileEdit[],
  ): Promise<string> {
    await this.#checkShapes(git, baseSha, edits);
    const dir = await mkdtemp(join(tmpdir(), 'dbaas-index-'));
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    try {
      await git.run(['read-tree', baseSha], { env });
      const zeroOid = '0'.repeat(baseSha.length);
      const entries: string[] = [];
      for (const edit of edits) {
        if (edit.content === null) {
          entries.push(`0 ${zeroOid}\t${edit.path}`);
        } else {
          const blob = await git.text(['hash-object', '-w', '--stdin'], {
            input: edit.content,
          });
          entries.push(`100644 ${blob}\t${edit.path}`);
        }
      }
      if (entries.length > 0) {
        await git.run(['update-index', '-z', '--index-info'], {
          env,
          input: `${entries.join('\0')}\0`,
        });
      }
      return await git.text(['write-tree'], { env });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Refuses edits that would silently turn a file into a folder or a folder
   * into a file (git would replace one with the other), so nothing is lost.
   */
  async #checkShapes(
    git: GitRunner,
    baseSha: string,
    edits: FileEdit[],
  ): Promise<void> {
    const checks: Array<{ path: string; expect: 'tree' | 'blob' }> = [];
    for (const edit of edits) {
      const segments = edit.path.split('/');
      for (let i = 1; i < segments.length; i++) {
        checks.push({ path: segments.slice(0, i).join('/'), expect: 'tree' });
      }
      checks.push({ path: edit.path, expect: 'blob' });
    }
    const { stdout } = await git.run(['cat-file', '--batch-check'], {
      input: `${checks.map(c => `${baseSha}:${c.path}`).join('\n')}\n`,
    });
    const answers = stdout.toString('utf8').split('\n');
    checks.forEach((check, i) => {
      const type = /^[0-9a-f]+ (\S+) \d+$/.exec(answers[i] ?? '')?.[1];
      if (type !== undefined && type !== check.expect) {
        throw new InputError(
          `Cannot write the change: ${check.path} is a ${
            type === 'tree' ? 'folder' : 'file'
          } in ${this.connection.baseBranch}`,
        );
      }
    });
  }

  /** A commit of `tree` on top of `parent` (no signing; the message on stdin). */
  async commit(
    git: GitRunner,
    tree: string,
    parent: string,
    message: string,
  ): Promise<string> {
    return git.text(
      ['commit-tree', '--no-gpg-sign', tree, '-p', parent, '-F', '-'],
      { input: message },
    );
  }

  /**
   * Moves refs in one atomic transaction, each only if it still points at
   * `oldSha` (or does not exist, when `oldSha` is undefined). Returns false
   * when another writer got there first.
   */
  async updateRefs(
    git: GitRunner,
    branch: string,
    updates: RefUpdate[],
  ): Promise<boolean> {
    const commands = updates.map(u =>
      u.oldSha === undefined
        ? `create ${u.ref} ${u.newSha}`
        : `update ${u.ref} ${u.newSha} ${u.oldSha}`,
    );
    const result = await git.exec(
      ['update-ref', '-m', `dbaas: merge ${branch}`, '--stdin'],
      { input: `${commands.join('\n')}\n` },
    );
    if (result.code === 0) {
      return true;
    }
    for (const u of updates) {
      if ((await this.connection.resolveRef(git, u.ref)) !== u.oldSha) {
        return false; // lost the race
      }
    }
    if (
      /cannot lock ref|unable to create .*\.lock|file exists/i.test(
        result.stderr,
      )
    ) {
      return false; // another writer holds the ref's lock right now
    }
    throw new ForwardedError(
      `git update-ref failed in ${this.connection.path} while merging ${branch}`,
      new Error(
        result.stderr.trim().split('\n')[0] || `exit code ${result.code}`,
      ),
    );
  }
}
