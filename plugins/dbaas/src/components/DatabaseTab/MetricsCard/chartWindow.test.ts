import type { DatabaseMetricsResponse } from '@dbaas/plugin-dbaas-common';
import { MIN_WINDOW_MS, TICK_COUNT, chartWindow } from './chartWindow';

const FROM = '2025-03-07T00:00:00.000Z';
const TO = '2025-03-08T00:00:00.000Z';

function response(times: string[]): DatabaseMetricsResponse {
  return {
    resolution: 'raw',
    from: FROM,
    to: TO,
    points: times.map(at => ({ at, samples: 1 })),
  };
}

describe('chartWindow', () => {
  it('spans the requested range when the samples cover it', () => {
    const window = chartWindow(
      response(['2025-03-07T00:01:00.000Z', '2025-03-07T23:59:00.000Z']),
    );
    expect(window.domain).toEqual([Date.parse(FROM), Date.parse(TO)]);
    expect(window.collectingSince).toBeUndefined();
    expect(window.ticks).toHaveLength(TICK_COUNT);
    expect(window.ticks[0]).toBe(Date.parse(FROM));
    expect(window.ticks[TICK_COUNT - 1]).toBe(Date.parse(TO));
  });

  it('starts at the first sample of a young database, with ticks across it', () => {
    // 13 samples, one a minute, in the last 13 minutes of a day.
    const times = Array.from({ length: 13 }, (_, index) =>
      new Date(Date.parse(TO) - (13 - index) * 60_000).toISOString(),
    );
    const window = chartWindow(response(times));
    expect(window.collectingSince).toBe(Date.parse(times[0]));
    expect(window.domain).toEqual([Date.parse(times[0]), Date.parse(TO)]);
    expect(new Set(window.ticks).size).toBe(TICK_COUNT);
  });

  it('keeps at least ten minutes of axis for a first sample', () => {
    const window = chartWindow(response(['2025-03-07T23:59:30.000Z']));
    expect(window.collectingSince).toBe(Date.parse('2025-03-07T23:59:30.000Z'));
    expect(window.domain).toEqual([
      Date.parse(TO) - MIN_WINDOW_MS,
      Date.parse(TO),
    ]);
  });

  it('says nothing about collecting without samples', () => {
    const window = chartWindow(response([]));
    expect(window.collectingSince).toBeUndefined();
    expect(window.domain).toEqual([Date.parse(FROM), Date.parse(TO)]);
  });
});
