/** `kind:namespace/name`, the full form entity refs are stored in. */
const ENTITY_REF = /^([^:/]+):([^:/]+)\/([^:/]+)$/;

/**
 * A person or team as people read it in a notification: `pat` for
 * `user:default/pat`, `pat (partners)` in another namespace, `group
 * platform` for a group. Anything that is not an entity ref is kept as is.
 */
export function readableEntity(ref: string): string {
  const match = ENTITY_REF.exec(ref);
  if (!match) {
    return ref;
  }
  const kind = match[1].toLocaleLowerCase('en-US');
  const name = match[2] === 'default' ? match[3] : `${match[3]} (${match[2]})`;
  return kind === 'user' ? name : `${kind} ${name}`;
}

const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/**
 * A moment as people read it in a notification, in UTC and saying so:
 * `Mon 7 Dec 2026, 11:20 UTC` (no ISO 8601).
 */
export function readableTime(at: Date): string {
  if (Number.isNaN(at.getTime())) {
    throw new TypeError('readableTime needs a valid date');
  }
  const parts = Object.fromEntries(
    TIME_FORMAT.formatToParts(at).map(part => [part.type, part.value]),
  );
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} UTC`;
}
