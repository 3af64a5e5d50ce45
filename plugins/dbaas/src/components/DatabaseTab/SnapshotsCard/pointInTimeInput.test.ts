import {
  formatUtcSecond,
  fromUtcInputValue,
  pointInTimeProblem,
  toUtcInputValue,
} from './pointInTimeInput';

const window = {
  earliest: '2026-02-01T02:15:00.400Z',
  latest: '2026-03-04T09:55:02.000Z',
  pointInTime: true,
};

describe('pointInTimeInput', () => {
  it('shows and reads moments in UTC to the second', () => {
    expect(toUtcInputValue('2026-03-04T09:55:02.123Z')).toBe(
      '2026-03-04T09:55:02',
    );
    expect(fromUtcInputValue('2026-03-04T09:55:02')?.toISOString()).toBe(
      '2026-03-04T09:55:02.000Z',
    );
    // Browsers drop the seconds when they are :00.
    expect(fromUtcInputValue('2026-03-04T09:55')?.toISOString()).toBe(
      '2026-03-04T09:55:00.000Z',
    );
    expect(fromUtcInputValue('')).toBeUndefined();
    expect(fromUtcInputValue('yesterday')).toBeUndefined();
    expect(formatUtcSecond(window.latest)).toBe('2026-03-04 09:55:02 UTC');
  });

  it('accepts the window with its edges and names it otherwise', () => {
    // The earliest restorable time has milliseconds: its next second.
    expect(pointInTimeProblem('2026-02-01T02:15:01', window)).toBeUndefined();
    expect(pointInTimeProblem('2026-03-04T09:55:02', window)).toBeUndefined();
    expect(pointInTimeProblem('2026-03-04T09:55:03', window)).toBe(
      'Outside the restore window: 2026-02-01 02:15:01 UTC to 2026-03-04 09:55:02 UTC',
    );
    expect(pointInTimeProblem('2026-02-01T02:15:00', window)).toMatch(
      /^Outside the restore window/,
    );
    expect(pointInTimeProblem('', window)).toBe(
      'Choose a date and a time (UTC), to the second',
    );
  });
});
