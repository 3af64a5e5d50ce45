import { ResponseError } from '@backstage/errors';

/**
 * The reason a request to the backend failed, in the words to show the user
 * (in a card, a page, a dialog or a field's helper text). A ResponseError's
 * own message is only the status line; the reason the backend gave is in
 * its cause.
 */
export function describeError(error: Error): string {
  if (error instanceof ResponseError && error.cause?.message) {
    return error.cause.message;
  }
  return error.message;
}
