import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The query parameter that keeps the chosen range linkable. */
export const METRICS_RANGE_PARAM = 'metricsRange';

const HOUR = 60 * 60 * 1000;

/** The ranges the card offers, shortest first. */
export const METRICS_RANGES = [
  { value: '24h', label: '24 h', title: 'Last 24 hours', ms: 24 * HOUR },
  { value: '7d', label: '7 d', title: 'Last 7 days', ms: 7 * 24 * HOUR },
  { value: '30d', label: '30 d', title: 'Last 30 days', ms: 30 * 24 * HOUR },
] as const;

export type MetricsRange = (typeof METRICS_RANGES)[number]['value'];

export const DEFAULT_METRICS_RANGE: MetricsRange = '24h';

export function metricsRangeMs(range: MetricsRange): number {
  return METRICS_RANGES.find(choice => choice.value === range)!.ms;
}

function isMetricsRange(value: string | null): value is MetricsRange {
  return METRICS_RANGES.some(choice => choice.value === value);
}

/**
 * The range of the metrics card, kept in the URL (`?metricsRange=7d`).
 * Unknown values fall back to 24 hours; changes replace the history entry.
 */
export function useMetricsRange(): [
  MetricsRange,
  (range: MetricsRange) => void,
] {
  const [searchParams, setSearchParams] = useSearchParams();
  const param = searchParams.get(METRICS_RANGE_PARAM);
  const range = isMetricsRange(param) ? param : DEFAULT_METRICS_RANGE;
  const setRange = useCallback(
    (next: MetricsRange) =>
      setSearchParams(
        previous => {
          const params = new URLSearchParams(previous);
          params.set(METRICS_RANGE_PARAM, next);
          return params;
        },
        { replace: true },
      ),
    [setSearchParams],
  );
  return [range, setRange];
}
