import { isError } from '@backstage/errors';

const REDACTED = '***';

/** `scheme://user:password@host`: hide whatever sits between ':' and '@'. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi;

/**
 * Removes the given secret values, and the password part of any URL with
 * credentials, from a text. Used on every error message and log line that
 * may carry text from a driver or SDK, so a password cannot slip through
 * even when a library quotes its input.
 *
 * @public
 */
export function redactSecrets(
  text: string,
  secrets: Iterable<string | undefined> = [],
): string {
  let result = text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets are long.
    if (secret && secret.length >= 4) {
      result = result.split(secret).join(REDACTED);
    }
  }
  return result;
}

/**
 * The message of any thrown value, on one line. Node reports a failed
 * connection to a host with several addresses as an `AggregateError` with
 * an empty message; then the inner errors' messages are used.
 *
 * @public
 */
export function errorMessageLine(error: unknown): string {
  let message: string;
  if (error instanceof AggregateError && !error.message) {
    message = error.errors
      .map(inner => (isError(inner) ? inner.message : String(inner)))
      .filter(Boolean)
      .join('; ');
  } else if (isError(error)) {
    message = error.message;
  } else {
    message = String(error);
  }
  if (!message && isError(error)) {
    message = (error as { code?: string }).code ?? error.name;
  }
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * An error safe to wrap, log or return: the same error when neither its
 * message nor its stack holds a secret, otherwise a copy with the secrets
 * removed (name and `code` kept, so callers can still branch on them).
 *
 * @public
 */
export function redactError(
  error: unknown,
  secrets: Iterable<string | undefined> = [],
): Error {
  const list = [...secrets];
  const message = errorMessageLine(error);
  const safeMessage = redactSecrets(message, list);
  if (isError(error)) {
    const stack = error.stack ?? '';
    if (
      safeMessage === message &&
      redactSecrets(stack, list) === stack &&
      !(error instanceof AggregateError)
    ) {
      return error as Error;
    }
    const copy = new Error(safeMessage);
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (code !== undefined) {
      (copy as { code?: unknown }).code = code;
    }
    return copy;
  }
  return new Error(safeMessage);
}
