/** SQLSTATEs treated as "someone else already did it". */
export const DUPLICATE_OBJECT = '42710';
export const DUPLICATE_DATABASE = '42P04';
export const INSUFFICIENT_PRIVILEGE = '42501';

/** The SQLSTATE a PostgreSQL error carries, if any. */
export function sqlState(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}
