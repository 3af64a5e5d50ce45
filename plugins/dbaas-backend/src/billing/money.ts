/**
 * Money is handled as integers, never as floating-point amounts:
 *
 * - **micros** (1e-6 of the currency's major unit) for hourly costs and their
 *   rollups, so that a fraction of a cent per hour (e.g. a 5 GB database's
 *   storage) is not lost to rounding;
 * - **cents** (minor units; every currency is treated as having 2 decimals)
 *   for what people see: reports, CSV, budgets.
 *
 * Both conversions keep sums exact with the largest-remainder method: the
 * parts of a split always add up to the whole.
 */

export const MICROS_PER_UNIT = 1_000_000;
export const MICROS_PER_CENT = 10_000;

/** A major-unit amount (e.g. 0.12 dollars) in micros, rounded. */
export function toMicros(amount: number): number {
  return Math.round(amount * MICROS_PER_UNIT);
}

/** Non-negative micros to cents, rounding half up. */
export function microsToCents(micros: number): number {
  return Math.floor((micros + MICROS_PER_CENT / 2) / MICROS_PER_CENT);
}

/** Cents as a plain decimal string with 2 places: 1234 -> '12.34'. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const units = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${sign}${units}.${rest < 10 ? '0' : ''}${rest}`;
}

/** One part of a split: a stable key (for tie-breaks) and a weight >= 0. */
export interface Weighted {
  key: string;
  weight: number;
}

function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/**
 * Splits an integer amount (cents, or any integer unit such as micros) into
 * integer parts proportional to `weights`, with the largest-remainder
 * (Hamilton) method: every part gets the floor of its exact share, then the
 * units left over go one each to the parts with the largest fractional
 * remainder. Ties go to the smaller key (code-unit order, independent of
 * locale), then to the earlier position. The parts always sum to `total`.
 *
 * When every weight is zero the amount is split evenly (the same method
 * with equal weights), so nothing is ever lost.
 *
 * Returns the parts in the order of `weights`. Throws for a negative or
 * non-integer total, a negative or non-finite weight, or a total > 0 with
 * nothing to split it between.
 */
export function allocateCents(
  totalCents: number,
  weights: ReadonlyArray<Weighted>,
): number[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) {
    throw new RangeError(
      `allocateCents: total must be a non-negative integer, got ${totalCents}`,
    );
  }
  const n = weights.length;
  if (n === 0) {
    if (totalCents === 0) return [];
    throw new RangeError('allocateCents: nothing to allocate to');
  }
  let sum = 0;
  for (const { weight } of weights) {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(
        `allocateCents: weights must be finite and >= 0, got ${weight}`,
      );
    }
    sum += weight;
  }
  const even = sum === 0;
  const parts = new Array<number>(n);
  const remainders = new Array<number>(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const exact = even
      ? totalCents / n
      : (totalCents * weights[i].weight) / sum;
    const floor = Math.floor(exact);
    parts[i] = floor;
    remainders[i] = exact - floor;
    given += floor;
  }
  let left = totalCents - given;
  if (left === 0) return parts;

  const order = Array.from({ length: n }, (_, i) => i);
  const byRemainderDesc = (a: number, b: number) =>
    remainders[b] - remainders[a] ||
    compareKeys(weights[a].key, weights[b].key) ||
    a - b;
  if (left > 0) {
    order.sort(byRemainderDesc);
    // left < n mathematically; the loop only guards float drift.
    for (let i = 0; left > 0; i = (i + 1) % n, left--) {
      parts[order[i]] += 1;
    }
  } else {
    // Float drift made floors overshoot: take back from the smallest
    // remainders (the reverse order), never below zero.
    order.sort((a, b) => -byRemainderDesc(a, b));
    for (let i = 0; left < 0; i = (i + 1) % n) {
      if (parts[order[i]] > 0) {
        parts[order[i]] -= 1;
        left++;
      }
    }
  }
  return parts;
}

/**
 * Converts non-negative integer micros to cents so that the parts sum to
 * exactly `microsToCents(sum of micros)`: each part gets its floor and the
 * cents left over go to the largest sub-cent remainders, ties to the earlier
 * position (callers pass parts in a canonical order). Integer arithmetic
 * only, linear time (a counting pass over the 10,000 possible remainders),
 * so it is cheap for the 100,000+ parts of a month report.
 */
export function microsPartsToCents(micros: ArrayLike<number>): {
  totalCents: number;
  cents: number[];
} {
  const n = micros.length;
  const cents = new Array<number>(n);
  const counts = new Uint32Array(MICROS_PER_CENT);
  let totalMicros = 0;
  let floors = 0;
  for (let i = 0; i < n; i++) {
    const m = micros[i];
    if (!Number.isSafeInteger(m) || m < 0) {
      throw new RangeError(
        `microsPartsToCents: parts must be non-negative integers, got ${m}`,
      );
    }
    totalMicros += m;
    const floor = Math.floor(m / MICROS_PER_CENT);
    cents[i] = floor;
    floors += floor;
    counts[m - floor * MICROS_PER_CENT] += 1;
  }
  const totalCents = microsToCents(totalMicros);
  const cut = remainderCut(counts, totalCents - floors);
  const t = cut.threshold;
  let left = totalCents - floors;
  if (left <= 0) return { totalCents, cents };
  let atThreshold = cut.atThreshold;
  for (let i = 0; i < n && left > 0; i++) {
    const rem = micros[i] - cents[i] * MICROS_PER_CENT;
    if (rem > t) {
      cents[i] += 1;
      left--;
    } else if (rem === t && atThreshold > 0) {
      cents[i] += 1;
      atThreshold--;
      left--;
    }
  }
  return { totalCents, cents };
}

/**
 * Which parts of a split by {@link microsPartsToCents} get the cents left
 * over after the floors: every part whose sub-cent remainder (micros mod
 * 10,000) is above `threshold`, and the first `atThreshold` parts (in the
 * split's order) whose remainder equals it. Nothing is left over when
 * `threshold` is 10,000.
 *
 * Decided by the counts of parts per remainder alone, so it can be worked
 * out from a histogram (e.g. aggregated by PostgreSQL) without the parts.
 *
 * @param counts - `counts[r]`: how many parts have remainder r (0..9,999).
 * @param left - cents of the total minus the sum of the parts' floors.
 */
export function remainderCut(
  counts: ArrayLike<number>,
  left: number,
): { threshold: number; atThreshold: number } {
  if (left <= 0) return { threshold: MICROS_PER_CENT, atThreshold: 0 };
  let t = MICROS_PER_CENT - 1;
  let above = 0;
  while (t > 0 && above + (counts[t] ?? 0) < left) {
    above += counts[t] ?? 0;
    t--;
  }
  return { threshold: t, atThreshold: left - above };
}
