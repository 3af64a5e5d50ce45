import { isError } from '@backstage/errors';

/** An error's message on one line, for problems and a database's last error. */
export function oneLine(error: unknown): string {
  const message = isError(error) ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}
