import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { ForwardedError } from '@backstage/errors';

/** Output of one git command. */
export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export interface GitRunOptions {
  /** Written to the command's standard input. */
  input?: string | Buffer;
  /** Extra environment, e.g. a temporary `GIT_INDEX_FILE`. */
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. `1` for "no"). */
  okCodes?: number[];
}

// Variables that would make git work on another repository, index or
// object store than the one it is pointed at.
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_QUARANTINE_PATH',
];

const MAX_BUFFER = 512 * 1024 * 1024;
const MAX_STDERR_IN_ERRORS = 400;

/** The short first lines of git's complaint, for an error message. */
function summarizeStderr(stderr: string, code: number): string {
  const text = stderr.trim().replace(/\s*\n\s*/g, ' | ');
  if (text === '') {
    return `exit code ${code}`;
  }
  return text.length > MAX_STDERR_IN_ERRORS
    ? `${text.slice(0, MAX_STDERR_IN_ERRORS)}…`
    : text;
}

/**
 * Runs the `git` CLI in one repository: `execFile`, never a shell; the
 * repository is the directory itself (git does not look above it); file
 * contents only ever travel through standard input/output.
 */
export class GitRunner {
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly cwd: string, identity: { name: string; email: string }) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of REPOSITORY_VARIABLES) {
      delete env[name];
    }
    this.env = {
      ...env,
      // Never walk up to a parent repository (e.g. a monorepo holding `cwd`).
      GIT_CEILING_DIRECTORIES: dirname(cwd),
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
      LC_ALL: 'C',
    };
  }

  /** Runs git; resolves with the result, even on a non-zero exit code. */
  exec(args: string[], options: GitRunOptions = {}): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        {
          cwd: this.cwd,
          env: options.env ? { ...this.env, ...options.env } : this.env,
          encoding: 'buffer',
          maxBuffer: MAX_BUFFER,
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          const code = error
            ? (error as { code?: unknown }).code
            : (0 as unknown);
          if (typeof code !== 'number') {
            // Not an exit code: git missing, output too large, killed, ...
            reject(new ForwardedError(`Could not run git ${args[0]}`, error));
            return;
          }
          resolve({ stdout, stderr: stderr.toString('utf8'), code });
        },
      );
      child.stdin?.on('error', () => {
        // git may exit before reading all of its input; the exit code says why.
      });
      if (options.input !== undefined) {
        child.stdin?.end(options.input);
      } else {
        child.stdin?.end();
      }
    });
  }

  /** Runs git and fails with a `ForwardedError` naming the command. */
  async run(args: string[], options: GitRunOptions = {}): Promise<GitResult> {
    const result = await this.exec(args, options);
    const ok = options.okCodes ?? [0];
    if (!ok.includes(result.code)) {
      throw new ForwardedError(
        `git ${args.join(' ')} failed in ${this.cwd}`,
        new Error(summarizeStderr(result.stderr, result.code)),
      );
    }
    return result;
  }

  /** Runs git and returns its trimmed standard output. */
  async text(args: string[], options: GitRunOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout.toString('utf8').trim();
  }
}

/** One object read by `git cat-file --batch`. */
export interface BatchObject {
  type: string;
  content: Buffer;
}

/**
 * Parses `git cat-file --batch` output: one entry per input line, `undefined`
 * for a missing object.
 */
export function parseCatFileBatch(
  output: Buffer,
  count: number,
): Array<BatchObject | undefined> {
  const objects: Array<BatchObject | undefined> = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const newline = output.indexOf(0x0a, offset);
    if (newline === -1) {
      throw new Error('Unexpected end of git cat-file output');
    }
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    const match = /^[0-9a-f]+ (\S+) (\d+)$/.exec(header);
    if (!match) {
      // `<name> missing`, `<name> ambiguous`, ...
      objects.push(undefined);
      continue;
    }
    const size = Number(match[2]);
    objects.push({
      type: match[1],
      content: output.subarray(offset, offset + size),
    });
    offset += size + 1;
  }
  return objects;
}
