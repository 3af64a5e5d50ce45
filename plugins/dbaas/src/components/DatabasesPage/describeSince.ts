const SECOND = 1000;
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 60 * 60 * SECOND],
  ['month', 30 * 24 * 60 * 60 * SECOND],
  ['week', 7 * 24 * 60 * 60 * SECOND],
  ['day', 24 * 60 * 60 * SECOND],
  ['hour', 60 * 60 * SECOND],
  ['minute', 60 * SECOND],
];

const relativeTime = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * When something started, relative to now: `since 3 hours ago`,
 * `since yesterday`. Undefined for a timestamp that cannot be read.
 */
export function describeSince(
  timestamp: string,
  now: number = Date.now(),
): string | undefined {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) {
    return undefined;
  }
  const elapsed = now - at;
  // Small clock differences between backend and browser read as "now".
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size) {
      return `since ${relativeTime.format(-Math.trunc(elapsed / size), unit)}`;
    }
  }
  return 'since a moment ago';
}
