import type { DatabaseMetricsResponse } from '@dbaas/plugin-dbaas-common';

/** The narrowest time axis a chart gets, so a first sample is not a line. */
export const MIN_WINDOW_MS = 10 * 60 * 1000;

/** Ticks on the time axis (recharts shows one only when left to itself). */
export const TICK_COUNT = 6;

/**
 * Samples that start this far into the range mean the database is younger
 * than the range (or sampling started late): collecting.
 */
const COLLECTING_SHARE = 0.1;

export interface ChartWindow {
  /** The time axis, in ms. */
  domain: [number, number];
  /** Evenly spaced ticks over the domain, both ends included. */
  ticks: number[];
  /**
   * When the first sample of the range was taken, if the samples cover only
   * its end: the charts then start there rather than squeezing the samples
   * into a sliver at the right.
   */
  collectingSince?: number;
}

/**
 * The time axis of the metrics charts: the requested range, or, while the
 * samples cover only its end, from the first sample to the end of the range.
 */
export function chartWindow(metrics: DatabaseMetricsResponse): ChartWindow {
  const from = Date.parse(metrics.from);
  const to = Date.parse(metrics.to);
  const times = metrics.points
    .map(point => Date.parse(point.at))
    .filter(time => Number.isFinite(time));
  const first = times.length > 0 ? Math.min(...times) : undefined;

  let start = from;
  let collectingSince: number | undefined;
  if (first !== undefined && first - from > (to - from) * COLLECTING_SHARE) {
    collectingSince = first;
    start = Math.min(first, to - MIN_WINDOW_MS);
  }
  const span = to - start;
  const ticks = Array.from(
    { length: TICK_COUNT },
    (_, index) => start + Math.round((span * index) / (TICK_COUNT - 1)),
  );
  return {
    domain: [start, to],
    ticks,
    ...(collectingSince !== undefined ? { collectingSince } : {}),
  };
}
