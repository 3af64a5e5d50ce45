import { formatAbsoluteTime, formatRelativeTime } from './formatTime';

const now = Date.parse('2026-11-21T12:00:00Z');

describe('formatRelativeTime', () => {
  it.each([
    ['2026-11-21T12:00:00Z', 'now'],
    ['2026-11-21T11:59:30Z', '30 seconds ago'],
    ['2026-11-21T11:57:00Z', '3 minutes ago'],
    ['2026-11-21T09:00:00Z', '3 hours ago'],
    ['2026-11-20T11:00:00Z', 'yesterday'],
    ['2026-11-11T12:00:00Z', 'last week'],
    ['2026-11-21T14:00:00Z', 'in 2 hours'],
  ])('%s is %s', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });

  it('leaves an unreadable timestamp as it is', () => {
    expect(formatRelativeTime('soon', now)).toBe('soon');
  });
});

describe('formatAbsoluteTime', () => {
  it('shows day, month, year and time', () => {
    expect(formatAbsoluteTime('2026-11-21T10:04:00Z', 'UTC')).toBe(
      '21 Nov 2026, 10:04',
    );
  });
});
