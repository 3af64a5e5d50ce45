import { InputError } from '@backstage/errors';

/**
 * A point-in-time restore is recorded like a snapshot restore, with the
 * id `pitr:<moment, ISO 8601 to the second>`: the request's identity,
 * fingerprint, "snapshots in use" and step log need no second kind of
 * source. No AWS snapshot can have such an id: only the prefixes AWS
 * itself gives (`rds:`, `awsbackup:`) hold a colon, and pg_dump snapshot
 * ids are UUIDs.
 */
const PREFIX = 'pitr:';

/** ISO 8601 with a date, a time and a zone (`Z` or `±hh:mm`). */
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 to the second: `2026-12-06T10:15:30Z`. */
export function isoSecond(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The id a restore to `at` is recorded with. */
export function pointInTimeId(at: Date): string {
  return `${PREFIX}${isoSecond(at)}`;
}

/** The moment of a point-in-time id; undefined for a snapshot's id. */
export function pointInTimeOf(snapshotId: string): Date | undefined {
  if (!snapshotId.startsWith(PREFIX)) {
    return undefined;
  }
  const at = Date.parse(snapshotId.slice(PREFIX.length));
  return Number.isFinite(at) ? new Date(at) : undefined;
}

/**
 * A request's `pointInTime`: ISO 8601 with its zone, to the second (a
 * fraction is dropped: AWS restores to the second).
 */
export function parsePointInTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) {
    throw new InputError(
      `pointInTime must be an ISO 8601 date and time with its zone, e.g. 2026-12-06T10:15:30Z; got ${JSON.stringify(
        value,
      )}`,
    );
  }
  const at = Date.parse(value);
  if (!Number.isFinite(at)) {
    throw new InputError(`pointInTime '${value}' is not a valid moment`);
  }
  return new Date(Math.floor(at / 1000) * 1000);
}

/** `earliest to latest`, as errors name a window. */
export function describeWindow(window: {
  earliest: Date;
  latest: Date;
}): string {
  return `${isoSecond(window.earliest)} to ${isoSecond(window.latest)}`;
}
