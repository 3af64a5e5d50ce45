import type { Octokit } from '@octokit/rest';

/** What a conditional call gets back. */
export interface ConditionalResponse {
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

/** Headers and `request` options to pass along with a conditional call. */
export interface ConditionalCallOptions {
  headers: Record<string, string>;
  request: { fetch: typeof fetch };
}

/** Default bound on remembered responses (the branch head and some pages of pull requests). */
const DEFAULT_MAX_ENTRIES = 64;

function isNotModified(error: unknown): boolean {
  return (error as { status?: number })?.status === 304;
}

/**
 * A `304 Not Modified` that comes with `content-type: application/json`
 * (and, as every 304, no body; reported against GitHub in
 * octokit/request.js#659) makes the `@octokit/request` of Octokit 19 fail
 * to parse it ("Unexpected end of JSON input", tolerated by later majors)
 * and report a network error, which would then be retried. A 304 is handed
 * to Octokit without a content type, so that it throws its usual
 * `RequestError` with status 304 whatever the server sent.
 */
function notModifiedSafe(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 304) return response;
    const headers = new Headers(response.headers);
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  };
}

/**
 * Conditional GETs (`If-None-Match` with the `ETag` of the previous
 * answer) for the calls a sync repeats: GitHub answers `304 Not Modified`
 * when nothing changed, which does not count against the rate limit, and
 * the answer is then served from what was remembered of the previous one.
 * Remembers at most `maxEntries` responses (least recently used dropped),
 * in this process only: each is a few kilobytes of what the caller kept
 * (`project`), not the raw body.
 */
export class ConditionalRequests {
  readonly #remembered = new Map<string, { etag: string; value: unknown }>();
  readonly #fetch: typeof fetch;

  constructor(
    octokit: Octokit,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {
    const configured = (
      octokit.request.endpoint.DEFAULTS.request as
        | { fetch?: typeof fetch }
        | undefined
    )?.fetch;
    this.#fetch = notModifiedSafe(configured ?? globalThis.fetch);
  }

  /**
   * Sends `call` (with the conditional headers) and returns what `project`
   * makes of the response, or of the remembered one on a 304. `key` names
   * the request: its route and every parameter.
   */
  async get<T>(
    key: string,
    call: (options: ConditionalCallOptions) => Promise<ConditionalResponse>,
    project: (response: ConditionalResponse) => T,
  ): Promise<{ value: T; notModified: boolean }> {
    const remembered = this.#remembered.get(key);
    const options: ConditionalCallOptions = {
      headers: remembered ? { 'if-none-match': remembered.etag } : {},
      request: { fetch: this.#fetch },
    };
    let response: ConditionalResponse;
    try {
      response = await call(options);
    } catch (error) {
      if (remembered && isNotModified(error)) {
        this.#touch(key, remembered);
        return { value: remembered.value as T, notModified: true };
      }
      throw error;
    }
    const value = project(response);
    const etag = response.headers.etag;
    if (typeof etag === 'string' && etag !== '') {
      this.#touch(key, { etag, value });
    } else {
      this.#remembered.delete(key);
    }
    return { value, notModified: false };
  }

  /** How many responses are remembered. */
  get size(): number {
    return this.#remembered.size;
  }

  #touch(key: string, entry: { etag: string; value: unknown }) {
    this.#remembered.delete(key);
    this.#remembered.set(key, entry);
    while (this.#remembered.size > this.maxEntries) {
      const oldest = this.#remembered.keys().next().value;
      if (oldest === undefined) break;
      this.#remembered.delete(oldest);
    }
  }
}
