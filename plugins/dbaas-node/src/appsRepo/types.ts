/**
 * One file as the change leaves it: new content, or `null` to delete it.
 *
 * @public
 */
export interface FileEdit {
  /** Path from the repository root, e.g. `payments/ledger/values.yaml`. */
  path: string;
  content: string | null;
}

/**
 * Reads a file of the revision a change is being built on; `undefined` when
 * the file does not exist there.
 *
 * @public
 */
export type ReadFile = (path: string) => Promise<string | undefined>;

/**
 * A change the suite proposes to the apps repository (one branch, one pull
 * request). The edit is a function of the files it reads, so that it can be
 * built again on a newer base without losing anybody's entries.
 *
 * @public
 */
export interface AppsRepoChange {
  /**
   * Deterministic: the same database and kind of change always give the
   * same branch (see `suiteBranchName`), which is how two requests for one
   * database at once end with one pull request.
   */
  branchName: string;
  /**
   * Who asks, e.g. the scaffolder task id; recorded in the commits'
   * `Dbaas-Task` trailer. A change with the task that wrote the branch is a
   * retry and gets that branch and pull request back; another task gets a
   * `ConflictError` naming them while they are open, and takes the branch
   * over once its pull request is merged or closed. Without it, every
   * suite-made branch of that name counts as this change's own.
   */
  taskId?: string;
  /**
   * A commit of the base branch the caller knows (e.g. the head the
   * inventory last read), to build on without asking for the head first.
   * The pull request tells the current head; when the base moved since,
   * the change is checked against it and rebuilt if a file it reads or
   * writes changed. GitHub only; ignored when the commit is unknown.
   */
  baseSha?: string;
  title: string;
  /** Pull request description (Markdown). */
  body: string;
  commitMessage: string;
  /**
   * Computes the files to write from the revision being built on. Must be
   * pure (same input, same output) and throw `InputError`/`ConflictError`
   * from `@backstage/errors` when the change cannot be made (e.g. a
   * malformed values.yaml, or the database already exists).
   */
  edit(read: ReadFile): Promise<FileEdit[]>;
  labels?: string[];
  reviewers?: string[];
  teamReviewers?: string[];
  draft?: boolean;
}

/**
 * The outcome of proposing a change.
 *
 * @public
 */
export interface ProposedChange {
  /** The pull request's web URL, or for a local repository a `file://` URL of the merge commit. */
  url: string;
  /** Pull request number; for a local repository, a monotonically growing number of the merge. */
  number: number;
  branchName: string;
  /** True when the change is already in the base branch (local repositories merge at once). */
  merged: boolean;
  /** Commit that carries the change on the branch. */
  commitSha: string;
}

/**
 * What a dry run shows: the files and a unified diff against the base.
 *
 * @public
 */
export interface ChangePreview {
  edits: FileEdit[];
  /** Unified diff (`--- a/path`, `+++ b/path`), empty when nothing changes. */
  diff: string;
  /** Base branch commit the preview was computed on. */
  baseSha: string;
}

/**
 * A file's content with its path.
 *
 * @public
 */
export interface RepoFile {
  path: string;
  content: string;
}

/**
 * An open pull request of the suite, with the files it adds or changes, so
 * that uniqueness checks can see databases that are requested but not merged.
 *
 * @public
 */
export interface OpenChange {
  number: number;
  url: string;
  branchName: string;
  title: string;
  /** Files as they are on the pull request's head (changed files only). */
  files: RepoFile[];
}

/**
 * A pull request of the suite in any state, for the inventory: which
 * databases are requested, abandoned, merged or about to be removed.
 *
 * @public
 */
export interface SuiteChange {
  number: number;
  url: string;
  branchName: string;
  title: string;
  state: 'open' | 'closed' | 'merged';
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  updatedAt: string;
  /** ISO 8601, when merged */
  mergedAt?: string;
  /** ISO 8601, when closed (merged or not) */
  closedAt?: string;
}

/**
 * The GitOps apps repository, on GitHub or on disk.
 *
 * @public
 */
export interface AppsRepository {
  /** Base branch the changes target, e.g. `main`. */
  readonly baseBranch: string;
  /** Reads one file on the base branch. */
  readFile(path: string): Promise<string | undefined>;
  /**
   * Every `values.yaml` under the base path on the base branch (the
   * database definitions), in one pass.
   */
  listDefinitionFiles(): Promise<RepoFile[]>;
  /**
   * The head of the base branch whose definitions the last
   * `listDefinitionFiles` call returned, when the repository tells (for
   * callers that build a change on it later: `AppsRepoChange.baseSha`).
   */
  readonly listedBaseSha?: string;
  /** Open pull requests whose branch starts with the suite's prefix. */
  listOpenChanges(): Promise<OpenChange[]>;
  /**
   * Pull requests of the suite (branch prefix `dbaas/`) in every state,
   * newest first; with `updatedSince`, only those updated since then.
   */
  listChanges(options?: { updatedSince?: Date }): Promise<SuiteChange[]>;
  /** Computes the change on the current base without writing anything. */
  previewChange(change: AppsRepoChange): Promise<ChangePreview>;
  /**
   * Writes the change and opens (or, for a local repository, merges) it.
   * Idempotent: called again with the same change (a retried task, a double
   * click) it returns the same branch and pull request.
   */
  proposeChange(change: AppsRepoChange): Promise<ProposedChange>;
}

/**
 * Prefix of every branch the suite creates, so its pull requests can be
 * found again.
 *
 * @public
 */
export const DBAAS_BRANCH_PREFIX = 'dbaas/';
