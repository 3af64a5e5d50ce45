const UNITS: Array<[string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/**
 * A duration in seconds for people, in its largest unit and the next one
 * when that is not zero: `1 d 1 h`, `4 h`, `2 min 5 s`, `0 s`. One wording
 * for the cards, notifications and step logs.
 *
 * @public
 */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const first = UNITS.findIndex(([, size]) => total >= size);
  if (first === -1) {
    return '0 s';
  }
  const [unit, size] = UNITS[first];
  const parts = [`${Math.floor(total / size)} ${unit}`];
  const next = UNITS[first + 1];
  if (next) {
    const n = Math.floor((total % size) / next[1]);
    if (n > 0) {
      parts.push(`${n} ${next[0]}`);
    }
  }
  return parts.join(' ');
}
