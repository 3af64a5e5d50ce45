import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type { Octokit } from '@octokit/rest';

/**
 * How GitHub API calls are retried.
 *
 * @public
 */
export interface GitHubRetryOptions {
  /** Retries of one API call after its first attempt (default 5). */
  maxRetries?: number;
  /**
   * Bound on the total time one API call may spend waiting between attempts
   * (rate-limit waits and backoff), in ms (default 60 000). A rate limit
   * that asks for a longer wait fails at once with a clear error.
   */
  maxWaitMs?: number;
  /** First backoff delay for 5xx and network errors, doubled per retry, capped at 10 s (default 500 ms). */
  baseDelayMs?: number;
  /** Timeout of one attempt in ms (default 30 000). */
  requestTimeoutMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock (epoch ms) for `x-ratelimit-reset`, for tests. */
  now?: () => number;
}

type Resolved = Required<GitHubRetryOptions>;

const MAX_BACKOFF_MS = 10_000;
const SECONDARY_LIMIT_DEFAULT_WAIT_MS = 60_000;
const INSTALLED = Symbol.for('dbaas.github.retryHook');

/** What to do about a failed attempt. */
export type RetryDecision =
  | { kind: 'rate-limit'; waitMs: number; detail: string }
  | { kind: 'transient'; detail: string }
  | { kind: 'fatal' };

function header(error: any, name: string): string | undefined {
  const value = error?.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** Classifies an error thrown by an Octokit request. */
export function classifyGitHubError(error: any, now: number): RetryDecision {
  const status: number | undefined = error?.status;
  const hasResponse = Boolean(error?.response);
  if (!hasResponse) {
    // @octokit/request turns network failures (ECONNRESET, socket hang up,
    // timeouts) into a RequestError with status 500 and no response.
    const name = String(error?.name ?? '');
    if (status === 500 || name === 'AbortError' || name === 'TimeoutError') {
      return {
        kind: 'transient',
        detail: `network error (${String(error?.message ?? error)})`,
      };
    }
    return { kind: 'fatal' };
  }
  const retryAfter = header(error, 'retry-after');
  const remaining = header(error, 'x-ratelimit-remaining');
  const reset = header(error, 'x-ratelimit-reset');
  const message = String(
    error?.response?.data?.message ?? error?.message ?? '',
  );
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (remaining === '0' ||
        retryAfter !== undefined ||
        /rate limit|abuse/i.test(message)));
  if (rateLimited) {
    if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) {
      return {
        kind: 'rate-limit',
        waitMs: Math.max(0, Number(retryAfter) * 1000),
        detail: `${status}, retry-after ${retryAfter} s`,
      };
    }
    if (remaining === '0' && reset && Number.isFinite(Number(reset))) {
      return {
        kind: 'rate-limit',
        waitMs: Math.max(0, Number(reset) * 1000 - now),
        detail: `${status}, x-ratelimit-reset ${reset}`,
      };
    }
    return {
      kind: 'rate-limit',
      waitMs: SECONDARY_LIMIT_DEFAULT_WAIT_MS,
      detail: `${status}, rate limited without a reset time`,
    };
  }
  if (status !== undefined && status >= 500 && status !== 501) {
    return { kind: 'transient', detail: `${status} ${message}`.trim() };
  }
  return { kind: 'fatal' };
}

function resolveOptions(options: GitHubRetryOptions = {}): Resolved {
  return {
    maxRetries: options.maxRetries ?? 5,
    maxWaitMs: options.maxWaitMs ?? 60_000,
    baseDelayMs: options.baseDelayMs ?? 500,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    sleep:
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
  };
}

function describeCall(octokit: Octokit, options: any): string {
  try {
    const parsed = octokit.request.endpoint.parse(options);
    return `${parsed.method} ${new URL(parsed.url).pathname}`;
  } catch {
    return `${options.method} ${options.url}`;
  }
}

/**
 * Makes every request of an Octokit instance survive rate limits (403/429,
 * honouring `retry-after` and `x-ratelimit-reset`), 5xx responses and
 * network errors: it waits and retries, within `maxRetries` and a bound on
 * the total wait, then fails with a `ServiceUnavailableError` naming the call
 * and the last status. Other errors are passed through untouched. A POST
 * whose response was lost is simply sent again: callers must treat the
 * "already exists" answers as success (see GitHubAppsRepository).
 *
 * @public
 */
export function installGitHubRetries(
  octokit: Octokit,
  options?: GitHubRetryOptions,
  logger?: LoggerService,
): void {
  const marked = octokit as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  const opts = resolveOptions(options);

  octokit.hook.wrap('request', async (request, endpointOptions) => {
    const call = describeCall(octokit, endpointOptions);
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        // Mutated in place: hooks registered before this one (auth,
        // credentials) are bound to this very object.
        endpointOptions.request = {
          ...endpointOptions.request,
          signal: AbortSignal.timeout(opts.requestTimeoutMs),
        } as typeof endpointOptions.request;
        return await request(endpointOptions);
      } catch (error) {
        const decision = classifyGitHubError(error, opts.now());
        if (decision.kind === 'fatal') throw error;
        const waitMs =
          decision.kind === 'rate-limit'
            ? decision.waitMs
            : Math.min(MAX_BACKOFF_MS, opts.baseDelayMs * 2 ** (attempt - 1));
        const attempts = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
        if (attempt > opts.maxRetries) {
          throw new ServiceUnavailableError(
            `GitHub API call ${call} failed after ${attempts} (waited ${waited} ms); last response: ${decision.detail}`,
            error,
          );
        }
        if (waited + waitMs > opts.maxWaitMs) {
          throw new ServiceUnavailableError(
            `GitHub API call ${call} failed after ${attempts}: ${
              decision.detail
            }; waiting ${Math.ceil(
              waitMs / 1000,
            )} s more would exceed the bound of ${Math.ceil(
              opts.maxWaitMs / 1000,
            )} s (already waited ${waited} ms)`,
            error,
          );
        }
        logger?.warn(
          `GitHub API call ${call} failed (${
            decision.detail
          }); retrying in ${waitMs} ms (attempt ${attempt + 1} of ${
            opts.maxRetries + 1
          })`,
        );
        await opts.sleep(waitMs);
        waited += waitMs;
      }
    }
  });
}
