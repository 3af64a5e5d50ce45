/*
 * Git objects of one fake repository, content-addressed with real git SHA-1
 * hashes, so that identical trees get identical SHAs like on GitHub.
 */
import { createHash } from 'node:crypto';
import { FakeHttpError } from './http';

/** @public */
export type GitObjectType = 'blob' | 'tree' | 'commit';

/** @public */
export interface GitTreeEntry {
  name: string;
  /** `100644`, `100755`, `120000`, `040000` (tree) or `160000` (submodule). */
  mode: string;
  type: GitObjectType;
  sha: string;
}

/** @public */
export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

/** @public */
export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitPerson;
  committer: GitPerson;
}

/** A file of a flattened tree. */
export interface FlatEntry {
  path: string;
  mode: string;
  type: GitObjectType;
  sha: string;
  size?: number;
}

/** One change of `POST /git/trees`: `sha: null` deletes the path. */
export interface TreeChange {
  path: string;
  mode: string;
  type: GitObjectType;
  sha: string | null;
}

function hashObject(type: GitObjectType, body: Buffer): string {
  return createHash('sha1')
    .update(`${type} ${body.length}\0`)
    .update(body)
    .digest('hex');
}

function treeSortKey(e: GitTreeEntry) {
  return e.type === 'tree' ? `${e.name}/` : e.name;
}

function personLine(p: GitPerson) {
  const seconds = Math.floor(new Date(p.date).getTime() / 1000);
  return `${p.name} <${p.email}> ${seconds} +0000`;
}

export class GitObjectStore {
  readonly #blobs = new Map<string, Buffer>();
  readonly #trees = new Map<string, GitTreeEntry[]>();
  readonly #commits = new Map<string, GitCommit>();

  typeOf(sha: string): GitObjectType | undefined {
    if (this.#blobs.has(sha)) return 'blob';
    if (this.#trees.has(sha)) return 'tree';
    if (this.#commits.has(sha)) return 'commit';
    return undefined;
  }

  putBlob(content: Buffer | string): string {
    const buf = typeof content === 'string' ? Buffer.from(content) : content;
    const sha = hashObject('blob', buf);
    this.#blobs.set(sha, buf);
    return sha;
  }

  getBlob(sha: string): Buffer | undefined {
    return this.#blobs.get(sha);
  }

  putTree(entries: GitTreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => {
      const ka = treeSortKey(a);
      const kb = treeSortKey(b);
      if (ka < kb) return -1;
      return ka > kb ? 1 : 0;
    });
    const parts = sorted.map(e =>
      Buffer.concat([
        Buffer.from(`${e.mode.replace(/^0+/, '')} ${e.name}\0`),
        Buffer.from(e.sha, 'hex'),
      ]),
    );
    const sha = hashObject('tree', Buffer.concat(parts));
    this.#trees.set(sha, sorted);
    return sha;
  }

  getTree(sha: string): GitTreeEntry[] | undefined {
    return this.#trees.get(sha);
  }

  putCommit(input: Omit<GitCommit, 'sha'>): GitCommit {
    const lines = [`tree ${input.tree}`];
    for (const p of input.parents) lines.push(`parent ${p}`);
    lines.push(`author ${personLine(input.author)}`);
    lines.push(`committer ${personLine(input.committer)}`);
    const body = Buffer.from(`${lines.join('\n')}\n\n${input.message}`);
    const commit = { ...input, sha: hashObject('commit', body) };
    this.#commits.set(commit.sha, commit);
    return commit;
  }

  getCommit(sha: string): GitCommit | undefined {
    return this.#commits.get(sha);
  }

  /** Every entry below a tree, depth first, with full paths. */
  flatten(treeSha: string, recursive = true, prefix = ''): FlatEntry[] {
    const out: FlatEntry[] = [];
    for (const e of this.#trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      const size =
        e.type === 'blob' ? this.#blobs.get(e.sha)?.length : undefined;
      out.push({ path, mode: e.mode, type: e.type, sha: e.sha, size });
      if (recursive && e.type === 'tree') {
        out.push(...this.flatten(e.sha, true, path));
      }
    }
    return out;
  }

  /** The entry at a path below a tree; the root tree for an empty path. */
  lookup(treeSha: string, path: string): GitTreeEntry | undefined {
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 0) {
      return { name: '', mode: '040000', type: 'tree', sha: treeSha };
    }
    let current: GitTreeEntry | undefined = {
      name: '',
      mode: '040000',
      type: 'tree',
      sha: treeSha,
    };
    for (const segment of segments) {
      if (!current || current.type !== 'tree') return undefined;
      current = this.#trees.get(current.sha)?.find(e => e.name === segment);
    }
    return current;
  }

  /**
   * `POST /git/trees` semantics: start from `baseTree` (or empty), apply the
   * changes at nested paths, drop directories that became empty.
   */
  buildTree(baseTree: string | undefined, changes: TreeChange[]): string {
    const split = changes.map(c => ({
      segments: c.path.split('/').filter(Boolean),
      change: c,
    }));
    for (const s of split) {
      if (s.segments.length === 0 || s.segments.includes('..')) {
        throw new FakeHttpError(422, `Invalid tree path "${s.change.path}"`);
      }
    }
    return this.#apply(baseTree, split) ?? this.putTree([]);
  }

  #apply(
    treeSha: string | undefined,
    changes: { segments: string[]; change: TreeChange }[],
  ): string | undefined {
    const entries = new Map<string, GitTreeEntry>();
    if (treeSha) {
      const tree = this.#trees.get(treeSha);
      if (!tree) throw new FakeHttpError(422, 'Invalid tree info');
      for (const e of tree) entries.set(e.name, e);
    }
    const nested = new Map<string, typeof changes>();
    for (const { segments, change } of changes) {
      const [head, ...rest] = segments;
      if (rest.length > 0) {
        nested.set(head, [
          ...(nested.get(head) ?? []),
          { segments: rest, change },
        ]);
        continue;
      }
      if (change.sha === null) {
        if (!entries.has(head)) {
          throw new FakeHttpError(422, 'GitRPC::BadObjectState');
        }
        entries.delete(head);
        continue;
      }
      if (!this.typeOf(change.sha) && change.type !== 'commit') {
        throw new FakeHttpError(
          422,
          `Invalid tree info: object ${change.sha} does not exist`,
        );
      }
      entries.set(head, {
        name: head,
        mode: change.type === 'tree' ? '040000' : change.mode,
        type: change.type,
        sha: change.sha,
      });
    }
    for (const [name, sub] of nested) {
      const existing = entries.get(name);
      if (existing && existing.type !== 'tree') {
        throw new FakeHttpError(
          422,
          `Invalid tree info: ${name} is a file, not a directory`,
        );
      }
      const subSha = this.#apply(existing?.sha, sub);
      if (subSha === undefined) entries.delete(name);
      else
        entries.set(name, { name, mode: '040000', type: 'tree', sha: subSha });
    }
    if (entries.size === 0) return undefined;
    return this.putTree([...entries.values()]);
  }

  /** Builds a tree from scratch out of a flat list of blobs. */
  treeFromFlat(files: FlatEntry[]): string {
    return this.buildTree(
      undefined,
      files
        .filter(f => f.type === 'blob')
        .map(f => ({ path: f.path, mode: f.mode, type: f.type, sha: f.sha })),
    );
  }

  /** All commits reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      const commit = this.#commits.get(next);
      if (!commit) continue;
      seen.add(next);
      stack.push(...commit.parents);
    }
    return seen;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestors(descendant).has(ancestor);
  }

  /** Newest common ancestor (by committer date) of two commits. */
  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    const common = [...this.ancestors(b)].filter(s => ofA.has(s));
    // The best common ancestor is one that is not an ancestor of another one.
    const best = common.filter(
      c => !common.some(o => o !== c && this.isAncestor(c, o)),
    );
    return best.sort(
      (x, y) =>
        Date.parse(this.#commits.get(y)!.committer.date) -
        Date.parse(this.#commits.get(x)!.committer.date),
    )[0];
  }

  /**
   * Commits reachable from `sha`, children before parents, newest first
   * among those that are ready (like `git log`).
   */
  log(sha: string): GitCommit[] {
    const reachable = this.ancestors(sha);
    const children = new Map<string, number>();
    for (const s of reachable) {
      for (const p of this.#commits.get(s)!.parents) {
        if (reachable.has(p)) children.set(p, (children.get(p) ?? 0) + 1);
      }
    }
    const out: GitCommit[] = [];
    const ready = [sha];
    while (ready.length) {
      ready.sort(
        (x, y) =>
          Date.parse(this.#commits.get(x)!.committer.date) -
          Date.parse(this.#commits.get(y)!.committer.date),
      );
      const next = this.#commits.get(ready.pop()!)!;
      out.push(next);
      for (const p of next.parents) {
        if (!reachable.has(p)) continue;
        const left = children.get(p)! - 1;
        children.set(p, left);
        if (left === 0) ready.push(p);
      }
    }
    return out;
  }
}
