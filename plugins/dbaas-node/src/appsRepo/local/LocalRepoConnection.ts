import { realpath, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { InputError, NotFoundError } from '@backstage/errors';
import { GitRunner } from './git';

/** The git runner of an opened repository, and whether it is bare. */
export interface OpenedRepository {
  git: GitRunner;
  bare: boolean;
}

/**
 * The local repository as the other parts use it: opened (and checked to
 * be a git repository) on first use, its refs resolved with git plumbing.
 * Opening is retried on the next call when it failed (say the repository
 * is not there yet).
 */
export class LocalRepoConnection {
  #opened?: Promise<OpenedRepository>;

  constructor(
    /** Absolute path of the repository. */
    readonly path: string,
    readonly baseBranch: string,
    private readonly author: { name: string; email: string },
  ) {}

  get baseRef(): string {
    return `refs/heads/${this.baseBranch}`;
  }

  /** `file://` URL of the repository, the base of `ProposedChange.url`. */
  get repoUrl(): string {
    return pathToFileURL(this.path).href;
  }

  /** The git runner, once the path is known to be a repository. */
  async ready(): Promise<OpenedRepository> {
    if (!this.#opened) {
      this.#opened = this.#open();
      // A failure (say the repository is not there yet) is not remembered.
      this.#opened.catch(() => {
        this.#opened = undefined;
      });
    }
    return this.#opened;
  }

  async #open(): Promise<OpenedRepository> {
    let isDirectory = false;
    try {
      isDirectory = (await stat(this.path)).isDirectory();
    } catch {
      throw new NotFoundError(
        `The local apps repository ${this.path} does not exist`,
      );
    }
    if (!isDirectory) {
      throw new InputError(
        `The local apps repository ${this.path} is not a directory`,
      );
    }
    const git = new GitRunner(await realpath(this.path), this.author);
    const probe = await git.exec(['rev-parse', '--is-bare-repository']);
    if (probe.code !== 0) {
      throw new InputError(
        `The local apps repository ${this.path} is not a git repository (run \`git init\` there, or point dbaas.gitops.local.path at one)`,
      );
    }
    const branchOk = await git.exec(['check-ref-format', this.baseRef]);
    if (branchOk.code !== 0) {
      throw new InputError(
        `Invalid base branch ${JSON.stringify(this.baseBranch).slice(0, 200)}`,
      );
    }
    return { git, bare: probe.stdout.toString('utf8').trim() === 'true' };
  }

  /** The commit a ref points at, `undefined` when there is no such ref. */
  async resolveRef(git: GitRunner, ref: string): Promise<string | undefined> {
    const result = await git.run(
      ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
      { okCodes: [0, 1, 128] },
    );
    return result.code === 0
      ? result.stdout.toString('utf8').trim()
      : undefined;
  }

  /** The base branch head; a `NotFoundError` when the branch is missing. */
  async baseHead(git: GitRunner): Promise<string> {
    const sha = await this.resolveRef(git, this.baseRef);
    if (!sha) {
      throw new NotFoundError(
        `The base branch ${this.baseBranch} does not exist in the local apps repository ${this.path}`,
      );
    }
    return sha;
  }

  async isAncestor(
    git: GitRunner,
    ancestor: string,
    descendant: string,
  ): Promise<boolean> {
    const { code } = await git.run(
      ['merge-base', '--is-ancestor', ancestor, descendant],
      { okCodes: [0, 1] },
    );
    return code === 0;
  }
}
