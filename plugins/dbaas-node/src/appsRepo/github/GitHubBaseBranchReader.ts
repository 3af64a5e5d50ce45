import { posix } from 'node:path';
import { NotFoundError } from '@backstage/errors';
import { VALUES_FILE } from '../../definitions/databaseChanges';
import { mapLimit } from '../mapLimit';
import { checkRepoPath, isDefinitionPath } from '../repoPaths';
import type { RepoFile } from '../types';
import { BulkBlobRead, CachedGitObjects } from './CachedGitObjects';
import { ConditionalRequests } from './ConditionalRequests';
import { GitHubArchiveReader } from './GitHubArchive';
import { CommitHead, GitHubApi } from './GitHubApi';
import { definitionsKey } from './GitObjectCache';

/** A definition file of a tree: its path and blob sha. */
type DefinitionBlob = { path: string; sha: string };

const SHA = /^[0-9a-f]{40}$/;

/**
 * Reads the base branch of the apps repository on GitHub: one file, or
 * every database definition. A listing costs:
 *
 * - `GET /branches/{base}`, conditional: a `304` while the branch has not
 *   moved (and then nothing more: the previous listing is returned);
 * - the definition files of the head's tree from the git object cache, else
 *   a recursive tree listing (a walk of the folders when GitHub truncates
 *   it), then cached by tree sha;
 * - one blob per definition the cache does not hold (at most 8 requests at a
 *   time), then cached by blob sha: after a change, only the changed files;
 *   but when more than `archive.threshold` are missing (a first sync, an
 *   emptied cache), the commit's archive instead: one call, whatever the
 *   number of definitions (see {@link GitHubArchiveReader}), and a blob
 *   each only for what the archive did not give as it is in git.
 */
export class GitHubBaseBranchReader {
  #last?: { treeSha: string; files: RepoFile[] };
  #listedCommitSha?: string;

  constructor(
    private readonly api: GitHubApi,
    private readonly baseBranch: string,
    /** Normalized base path, `''` for the root. */
    private readonly basePath: string,
    private readonly objects: CachedGitObjects,
    private readonly conditional: ConditionalRequests,
    private readonly archive?: {
      reader: GitHubArchiveReader;
      threshold: number;
    },
  ) {}

  async readFile(path: string): Promise<string | undefined> {
    checkRepoPath(path);
    return (await this.api.getFile(path, this.baseBranch))?.content;
  }

  /** The base head whose definitions the last listing returned. */
  get listedCommitSha(): string | undefined {
    return this.#listedCommitSha;
  }

  async listDefinitionFiles(): Promise<RepoFile[]> {
    const head = await this.#baseHead();
    const { treeSha } = head;
    if (this.#last?.treeSha !== treeSha) {
      const found = await this.objects.derived(
        definitionsKey(treeSha, this.basePath),
        { parse: v => this.#parseListing(v), serialize: serializeListing },
        () => this.#definitionBlobs(treeSha),
      );
      const contents = await this.objects.blobs(
        found.map(f => f.sha),
        this.#archiveRead(head.commitSha, found),
      );
      const files = found.map(f => ({
        path: f.path,
        content: contents.get(f.sha)!,
      }));
      this.#last = { treeSha, files };
    }
    this.#listedCommitSha = head.commitSha;
    return this.#last.files.map(f => ({ ...f }));
  }

  /** The missing blobs of a listing from the archive of its commit. */
  #archiveRead(
    commitSha: string,
    found: DefinitionBlob[],
  ): BulkBlobRead | undefined {
    const archive = this.archive;
    if (!archive) return undefined;
    return {
      threshold: archive.threshold,
      read: async missing =>
        (
          await archive.reader.read(
            commitSha,
            found.filter(f => missing.has(f.sha)),
          )
        ).contents,
    };
  }

  /** `GET /repos/{o}/{r}/branches/{base}` with `If-None-Match`. */
  async #baseHead(): Promise<CommitHead> {
    const { owner, repo, octokit } = this.api;
    const branch = this.baseBranch;
    try {
      const { value } = await this.conditional.get(
        `GET /repos/${owner}/${repo}/branches/${branch}`,
        options => octokit.repos.getBranch({ owner, repo, branch, ...options }),
        ({ data }: any) => ({
          commitSha: data.commit.sha as string,
          treeSha: data.commit.commit.tree.sha as string,
        }),
      );
      return value;
    } catch (error) {
      if ((error as { status?: number })?.status === 404) {
        throw new NotFoundError(
          `Branch ${branch} does not exist in the GitHub repository ${this.api.slug}`,
        );
      }
      throw error;
    }
  }

  /**
   * A cached listing, when it is one: pairs of a definition path under the
   * base path and a blob sha. Anything else is not trusted.
   */
  #parseListing(value: string): DefinitionBlob[] | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed)) return undefined;
    const files: DefinitionBlob[] = [];
    for (const item of parsed) {
      if (
        !Array.isArray(item) ||
        item.length !== 2 ||
        typeof item[0] !== 'string' ||
        typeof item[1] !== 'string' ||
        !SHA.test(item[1]) ||
        !isDefinitionPath(this.basePath, item[0])
      ) {
        return undefined;
      }
      try {
        checkRepoPath(item[0]);
      } catch {
        return undefined;
      }
      files.push({ path: item[0], sha: item[1] });
    }
    return files;
  }

  /** `<basePath>/<namespace>/<folder>/values.yaml` blobs of a tree. */
  async #definitionBlobs(treeSha: string): Promise<DefinitionBlob[]> {
    const { items, truncated } = await this.api.getTree(treeSha, true);
    if (!truncated) {
      return [...items.entries()]
        .filter(
          ([path, item]) =>
            item.type === 'blob' && isDefinitionPath(this.basePath, path),
        )
        .map(([path, item]) => ({ path, sha: item.sha }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
    }
    // A very large repository: walk base path -> namespaces -> folders.
    let level = [{ path: '', sha: treeSha }];
    for (const segment of this.basePath ? this.basePath.split('/') : []) {
      const { items: children } = await this.api.getTree(level[0].sha, false);
      const child = children.get(segment);
      if (!child || child.type !== 'tree') return [];
      level = [{ path: posix.join(level[0].path, segment), sha: child.sha }];
    }
    for (let depth = 0; depth < 2; depth++) {
      const nextLevel = await mapLimit(level, 8, async dir =>
        [...(await this.api.getTree(dir.sha, false)).items.entries()]
          .filter(([, item]) => item.type === 'tree')
          .map(([name, item]) => ({
            path: posix.join(dir.path, name),
            sha: item.sha,
          })),
      );
      level = nextLevel.flat();
    }
    const found = await mapLimit(level, 8, async dir => {
      const values = (await this.api.getTree(dir.sha, false)).items.get(
        VALUES_FILE,
      );
      return values?.type === 'blob'
        ? [{ path: posix.join(dir.path, VALUES_FILE), sha: values.sha }]
        : [];
    });
    return found.flat().sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}

function serializeListing(files: DefinitionBlob[]): string {
  return JSON.stringify(files.map(f => [f.path, f.sha]));
}
