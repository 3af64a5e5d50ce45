import {
  ConflictError,
  ForwardedError,
  NotFoundError,
  isError,
} from '@backstage/errors';

/** The HTTP status of an Octokit request error, `undefined` for any other error. */
export function httpStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; request?: unknown };
  return typeof e?.status === 'number' && e.request ? e.status : undefined;
}

/**
 * Runs `fn` and turns a GitHub error into a Backstage one that says what
 * was being done and which call failed (404 `NotFoundError`, 409/422
 * `ConflictError`, anything else `ForwardedError`). Errors of the change
 * itself (`InputError`, `ConflictError` thrown by an edit) pass through.
 */
export async function withGitHubErrorContext<T>(
  context: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined) {
      if (isError(error) && error.name === 'ServiceUnavailableError') {
        throw new ForwardedError(context, error);
      }
      throw error;
    }
    const request = (error as { request?: { method?: string; url?: string } })
      .request;
    const call = request?.url
      ? `${request.method} ${new URL(request.url).pathname}`
      : 'a GitHub API call';
    const message = `${context}: GitHub answered ${status} to ${call}`;
    if (status === 404) throw new NotFoundError(message, error);
    if (status === 409 || status === 422)
      throw new ConflictError(message, error);
    throw new ForwardedError(message, error);
  }
}
