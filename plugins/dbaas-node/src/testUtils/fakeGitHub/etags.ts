/*
 * Conditional requests as GitHub answers them: every successful GET carries
 * an `ETag` (a weak validator of the body), and a GET whose `If-None-Match`
 * names the current one gets `304 Not Modified` without a body. GitHub does
 * not count such a 304 against the rate limit, but it is still a round trip:
 * the fake records it like any other request (with `status: 304`).
 */
import { createHash } from 'node:crypto';

/** The weak ETag of a response body, `W/"<sha256>"` like GitHub's. */
export function etagOf(payload: string): string {
  return `W/"${createHash('sha256').update(payload).digest('hex')}"`;
}

/** Strips the weak prefix: `If-None-Match` uses the weak comparison. */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/**
 * Whether an `If-None-Match` header (one tag, a comma-separated list, or
 * `*`) matches the current ETag.
 */
export function matchesIfNoneMatch(
  header: string | string[] | undefined,
  etag: string,
): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const current = opaque(etag);
  return value.split(',').some(tag => opaque(tag) === current);
}
