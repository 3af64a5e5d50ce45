import { createHash } from 'node:crypto';
import type { ReadFile } from '../types';
import { CommitHead, GitHubApi, TreeItem } from './GitHubApi';
import { checkRepoPath } from '../repoPaths';

/** Git's blob id of a text, as GitHub computes it. */
export function gitBlobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1')
    .update(`blob ${body.length}\0`)
    .update(body)
    .digest('hex');
}

/**
 * Reads the files of one commit for a change's `edit(read)`, at the cost of
 * one recursive tree listing (fetched on the first read) plus one blob per
 * existing file read: files that do not exist cost nothing more. When GitHub
 * truncates the listing (a very large repository) each read falls back to
 * the contents API. Remembers the blob id of every path it answered, so that
 * a newer revision can tell whether the change would come out the same.
 */
export class Revision {
  /** Path to blob sha (`null` when the file does not exist) of every read. */
  readonly seen = new Map<string, string | null>();
  #listing?: Promise<Map<string, TreeItem> | undefined>;

  constructor(
    private readonly api: GitHubApi,
    readonly head: CommitHead,
    /** The recursive listing of the head's tree, when already fetched. */
    listing?: { items: Map<string, TreeItem>; truncated: boolean },
  ) {
    if (listing) {
      this.#listing = Promise.resolve(
        listing.truncated ? undefined : listing.items,
      );
    }
  }

  /**
   * The revision of a commit known by its sha only: one call, the
   * recursive listing of its tree, gives the root tree too (no
   * `GET /branches` needed).
   */
  static async ofCommit(api: GitHubApi, commitSha: string): Promise<Revision> {
    const { sha, items, truncated } = await api.getTreeOf(commitSha, true);
    return new Revision(api, { commitSha, treeSha: sha }, { items, truncated });
  }

  get commitSha() {
    return this.head.commitSha;
  }

  get treeSha() {
    return this.head.treeSha;
  }

  readonly read: ReadFile = async (path: string) => {
    checkRepoPath(path);
    const listing = await this.#getListing();
    if (listing) {
      const item = listing.get(path);
      if (!item || item.type !== 'blob') {
        this.seen.set(path, null);
        return undefined;
      }
      this.seen.set(path, item.sha);
      return this.api.getBlob(item.sha);
    }
    const file = await this.api.getFile(path, this.commitSha);
    this.seen.set(path, file?.sha ?? null);
    return file?.content;
  };

  /** The blob id at a path, `null` when there is no file. */
  async blobSha(path: string): Promise<string | null> {
    if (this.seen.has(path)) return this.seen.get(path)!;
    const listing = await this.#getListing();
    if (listing) {
      const item = listing.get(path);
      return item && item.type === 'blob' ? item.sha : null;
    }
    return (await this.api.getFile(path, this.commitSha))?.sha ?? null;
  }

  #getListing(): Promise<Map<string, TreeItem> | undefined> {
    if (!this.#listing) {
      this.#listing = this.api
        .getTree(this.treeSha, true)
        .then(({ items, truncated }) => (truncated ? undefined : items));
      this.#listing.catch(() => {
        this.#listing = undefined;
      });
    }
    return this.#listing;
  }
}
