import {
  DatabaseCounterFigures,
  DatabaseCounters,
  DatabaseRates,
  DatabaseSample,
} from './types';

const FIGURES: ReadonlyArray<
  [keyof DatabaseCounterFigures, keyof DatabaseCounters]
> = [
  ['commits', 'xact_commit'],
  ['rollbacks', 'xact_rollback'],
  ['blocksRead', 'blks_read'],
  ['blocksHit', 'blks_hit'],
  ['tuplesInserted', 'tup_inserted'],
  ['tuplesUpdated', 'tup_updated'],
  ['tuplesDeleted', 'tup_deleted'],
  ['deadlocks', 'deadlocks'],
  ['tempBytes', 'temp_bytes'],
];

function counterValue(
  counters: DatabaseCounters,
  key: keyof DatabaseCounters,
): number | undefined {
  const value = counters[key];
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/**
 * The increment of one counter between two samples, or undefined when it
 * cannot be known.
 *
 * - No reset: `current - previous`.
 * - Reset (the counter went down, or `stats_reset` changed): everything
 *   counted since the reset happened inside the interval only when the
 *   reset is known to be after the previous sample; then the current value
 *   is the delta (a lower bound: what happened between the previous sample
 *   and the reset is lost). Otherwise the counter is skipped for this
 *   interval.
 */
function counterDelta(
  previous: number | undefined,
  current: number | undefined,
  reset: boolean,
  resetInsideInterval: boolean,
): number | undefined {
  if (previous === undefined || current === undefined) {
    return undefined;
  }
  if (!reset && current >= previous) {
    return current - previous;
  }
  return resetInsideInterval && current >= 0 ? current : undefined;
}

/**
 * Rates of a database between two samples; undefined for its first sample
 * (no `previous`), for another database, or when time did not advance.
 *
 * Counter resets: a counter that went down, or a changed `stats_reset`,
 * means the statistics were reset. When the current `stats_reset` lies
 * after the previous sample, the current value is the delta since the
 * reset; when the reset time is unknown or not after the previous sample,
 * that counter is left out of this interval. No rate is ever negative.
 *
 * @public
 */
export function computeRates(
  previous: DatabaseSample | undefined,
  current: DatabaseSample,
): DatabaseRates | undefined {
  if (!previous || previous.databaseName !== current.databaseName) {
    return undefined;
  }
  const intervalMs = current.at.getTime() - previous.at.getTime();
  if (!(intervalMs > 0)) {
    return undefined;
  }
  const intervalSeconds = intervalMs / 1000;
  const previousReset = previous.counters.stats_reset?.getTime();
  const currentReset = current.counters.stats_reset?.getTime();
  const resetChanged =
    currentReset !== undefined && currentReset !== previousReset;
  const resetInsideInterval =
    currentReset !== undefined &&
    currentReset > previous.at.getTime() &&
    currentReset <= current.at.getTime();

  let anyReset = resetChanged;
  const delta = (key: keyof DatabaseCounters) => {
    const before = counterValue(previous.counters, key);
    const after = counterValue(current.counters, key);
    if (before !== undefined && after !== undefined && after < before) {
      anyReset = true;
    }
    return counterDelta(before, after, resetChanged, resetInsideInterval);
  };

  const deltas: DatabaseCounterFigures = {};
  const perSecond: DatabaseCounterFigures = {};
  for (const [figure, counter] of FIGURES) {
    const d = delta(counter);
    if (d !== undefined) {
      deltas[figure] = d;
      perSecond[figure] = d / intervalSeconds;
    }
  }

  const activeMs = delta('active_time_ms');
  const rates: DatabaseRates = {
    perSecond,
    deltas,
    reset: anyReset,
    intervalSeconds,
  };
  if (deltas.blocksHit !== undefined && deltas.blocksRead !== undefined) {
    const total = deltas.blocksHit + deltas.blocksRead;
    if (total > 0) {
      rates.cacheHitRatio = deltas.blocksHit / total;
    }
  }
  if (activeMs !== undefined) {
    rates.activeTimeShare = activeMs / intervalMs;
  }
  return rates;
}
