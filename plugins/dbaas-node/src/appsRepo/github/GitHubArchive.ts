import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { Parser, ReadEntry } from 'tar';
import { GitHubApi } from './GitHubApi';
import { gitBlobSha } from './revision';

/** A file wanted from an archive: its path in the repository, its blob sha. */
export interface ArchiveFile {
  path: string;
  sha: string;
}

/** What an archive gave. */
export interface ArchiveRead {
  /** Contents that hash to their blob sha, by sha. */
  contents: Map<string, string>;
  /** Paths whose content in the archive is not their blob (`export-subst`, line endings, tampering). */
  mismatched: string[];
  /** Paths not in the archive as files (`export-ignore`, a symlink, over the size bound, a broken download). */
  missing: string[];
  /** Archive bytes downloaded (compressed), over all attempts. */
  bytes: number;
}

/** Options of {@link GitHubArchiveReader}. */
export interface GitHubArchiveReaderOptions {
  logger?: LoggerService;
  /** Bound on one download, in ms (default 120 000). */
  timeoutMs?: number;
  /** Downloads tried before giving up (default 2). */
  attempts?: number;
}

/** A `values.yaml` is a few kB; a bigger file is left to its blob read. */
const MAX_FILE_BYTES = 1024 * 1024;
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

function describe(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/**
 * Reads many files of one commit from its archive: one API call
 * (`GET /repos/{o}/{r}/tarball/{sha}`), answered `302` to a download that
 * does not count against the REST rate limit. The redirect is not followed
 * by Octokit: the download is fetched here without the client's
 * credentials, as the URL carries a token of its own (Node's fetch drops
 * `Authorization` on a redirect to another host, which codeload is, but a
 * fetch configured on the Octokit client might not).
 *
 * The archive is read as it streams in and only the wanted files are
 * kept; the download stops once they are all there. Every file is checked
 * against its blob sha from the tree listing: the archive is only a faster
 * way to the same blobs, and whatever does not match (attributes such as
 * `export-subst` or `eol` change what `git archive` writes) or is not
 * there is reported, for the caller to read by blob.
 */
export class GitHubArchiveReader {
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #attempts: number;

  constructor(
    private readonly api: GitHubApi,
    private readonly options: GitHubArchiveReaderOptions = {},
  ) {
    const configured = (
      api.octokit.request.endpoint.DEFAULTS.request as
        | { fetch?: typeof fetch }
        | undefined
    )?.fetch;
    this.#fetch = configured ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#attempts = Math.max(1, options.attempts ?? 2);
  }

  /** The `files` of commit `commitSha` that its archive holds, checked. */
  async read(commitSha: string, files: ArchiveFile[]): Promise<ArchiveRead> {
    const wanted = new Map(files.map(f => [f.path, f.sha]));
    const result: ArchiveRead = {
      contents: new Map(),
      mismatched: [],
      missing: [],
      bytes: 0,
    };
    for (let attempt = 1; wanted.size > 0; attempt++) {
      try {
        await this.#download(commitSha, wanted, result);
        break;
      } catch (error) {
        const message = `Could not read the archive of ${
          this.api.slug
        }@${commitSha.slice(0, 7)} (attempt ${attempt} of ${this.#attempts}, ${
          wanted.size
        } files still wanted): ${describe(error)}`;
        if (attempt >= this.#attempts) {
          this.options.logger?.warn(`${message}; reading them by blob`);
          break;
        }
        this.options.logger?.warn(`${message}; trying again`);
      }
    }
    result.missing = [...wanted.keys()];
    if (result.contents.size) {
      this.options.logger?.info(
        `Read ${result.contents.size} files from the archive of ${
          this.api.slug
        }@${commitSha.slice(0, 7)} (${Math.ceil(
          result.bytes / 1024,
        )} KiB downloaded) instead of one API call each`,
      );
    }
    const off = [...result.mismatched, ...result.missing];
    if (off.length) {
      this.options.logger?.warn(
        `${off.length} of ${files.length} files were not in the archive of ${
          this.api.slug
        }@${commitSha.slice(0, 7)} as their blob (${off
          .slice(0, 3)
          .join(', ')}${off.length > 3 ? ', ...' : ''}); reading them by blob`,
      );
    }
    return result;
  }

  /** One attempt: takes what it finds out of `wanted`, into `result`. */
  async #download(
    commitSha: string,
    wanted: Map<string, string>,
    result: ArchiveRead,
  ): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new Error(`no archive within ${this.#timeoutMs / 1000} s`),
        ),
      this.#timeoutMs,
    );
    try {
      const { parser, done } = this.#parser(wanted, result);
      const url = await this.api.getTarballUrl(commitSha);
      const response = await this.#fetch(url, {
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        throw new Error(`the download answered ${response.status}`);
      }
      for await (const chunk of response.body) {
        result.bytes += chunk.length;
        if (!parser.write(Buffer.from(chunk))) {
          await Promise.race([
            new Promise(resolve => parser.once('drain', resolve)),
            done,
          ]);
        }
        // Everything found: the rest of the repository is not needed.
        if (wanted.size === 0) return;
      }
      parser.end();
      await done;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  /**
   * A tar parser (gzip detected by itself) that keeps the wanted files,
   * paths taken below the archive's one top folder
   * (`{owner}-{repo}-{short sha}/` on GitHub, whatever its name).
   */
  #parser(wanted: Map<string, string>, result: ArchiveRead) {
    let top: string | undefined;
    let settle: { resolve: () => void; reject: (e: Error) => void };
    const done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Handled by whoever awaits it; never an unhandled rejection.
    done.catch(() => {});
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const slash = entry.path.indexOf('/');
        const root = slash < 0 ? entry.path : entry.path.slice(0, slash);
        top ??= root;
        const path = slash < 0 ? '' : entry.path.slice(slash + 1);
        const sha = root === top ? wanted.get(path) : undefined;
        if (
          sha === undefined ||
          !FILE_TYPES.has(entry.type) ||
          entry.size > MAX_FILE_BYTES
        ) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => {
          wanted.delete(path);
          const content = Buffer.concat(chunks).toString('utf8');
          if (gitBlobSha(content) === sha) {
            result.contents.set(sha, content);
          } else {
            result.mismatched.push(path);
          }
          if (wanted.size === 0) settle.resolve();
        });
      },
    });
    parser.on('end', () => settle.resolve());
    parser.on('abort', (error: Error) => settle.reject(error));
    parser.on('error', (error: Error) => settle.reject(error));
    return { parser, done };
  }
}
