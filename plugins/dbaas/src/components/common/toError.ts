/** What a promise was rejected with, as an Error: itself if it is one. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
