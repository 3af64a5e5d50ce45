/*
 * Fault injection for the fake GitHub: error responses and dropped
 * connections for the next matching requests.
 */

/**
 * Which requests a fault applies to.
 *
 * @public
 */
export interface FakeRequestMatcher {
  /** HTTP method, any when omitted. */
  method?: string;
  /**
   * Matched against the request path without query string (URL-decoded,
   * without an `/api/v3` prefix), e.g. `/repos/acme/apps/git/commits`. A
   * string matches when the path contains it.
   */
  pathPattern: RegExp | string;
  /** How many matching requests are affected (default 1). */
  times?: number;
}

/**
 * An error response for the next matching requests.
 *
 * @public
 */
export interface FakeFailure extends FakeRequestMatcher {
  status: number;
  headers?: Record<string, string>;
  /** Response body; GitHub's shape for the status when omitted. */
  body?: unknown;
}

/**
 * Destroys the socket of the next matching requests instead of answering.
 *
 * @public
 */
export interface FakeConnectionReset extends FakeRequestMatcher {
  /**
   * When true the request is processed (and its effects kept) before the
   * connection is dropped, like a response lost on the way back.
   */
  afterHandling?: boolean;
}

type Fault =
  | { kind: 'fail'; rule: FakeFailure; left: number }
  | { kind: 'reset'; rule: FakeConnectionReset; left: number };

export type MatchedFault =
  | { kind: 'fail'; rule: FakeFailure }
  | { kind: 'reset'; rule: FakeConnectionReset };

function matches(rule: FakeRequestMatcher, method: string, path: string) {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  return typeof rule.pathPattern === 'string'
    ? path.includes(rule.pathPattern)
    : rule.pathPattern.test(path);
}

export function defaultFailureBody(status: number) {
  const message =
    {
      403: 'API rate limit exceeded for installation.',
      429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      500: 'Server Error',
      502: 'Server Error',
      503: 'Service Unavailable',
      504: 'We couldn\u2019t respond to your request in time.',
    }[status] ?? `Error ${status}`;
  return { message, documentation_url: 'https://docs.github.com/rest' };
}

export class FaultInjector {
  #faults: Fault[] = [];

  fail(rule: FakeFailure) {
    this.#faults.push({ kind: 'fail', rule, left: rule.times ?? 1 });
  }

  reset(rule: FakeConnectionReset) {
    this.#faults.push({ kind: 'reset', rule, left: rule.times ?? 1 });
  }

  clear() {
    this.#faults = [];
  }

  /** Number of faults still armed. */
  get pending() {
    return this.#faults.reduce((sum, f) => sum + f.left, 0);
  }

  /** Consumes and returns the first fault matching the request. */
  take(method: string, path: string): MatchedFault | undefined {
    const fault = this.#faults.find(
      f => f.left > 0 && matches(f.rule, method, path),
    );
    if (!fault) return undefined;
    fault.left -= 1;
    this.#faults = this.#faults.filter(f => f.left > 0);
    return fault.kind === 'fail'
      ? { kind: 'fail', rule: fault.rule }
      : { kind: 'reset', rule: fault.rule };
  }
}
