import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed request, when it got an answer at all. */
export function responseStatusOf(error: Error): number | undefined {
  if (error instanceof ResponseError) {
    return error.statusCode;
  }
  // Errors that crossed a package boundary may be a different copy of
  // ResponseError; their shape is the same.
  const status = (error as { response?: { status?: unknown } }).response
    ?.status;
  return typeof status === 'number' ? status : undefined;
}

export function isForbidden(error: Error): boolean {
  return responseStatusOf(error) === 403;
}

export function isNotFound(error: Error): boolean {
  return responseStatusOf(error) === 404;
}
