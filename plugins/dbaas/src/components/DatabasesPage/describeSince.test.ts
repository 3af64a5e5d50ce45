import { describeSince } from './describeSince';

const now = Date.parse('2026-11-21T12:00:00Z');

describe('describeSince', () => {
  it.each([
    ['2026-11-21T11:59:30Z', 'since a moment ago'],
    ['2026-11-21T12:00:20Z', 'since a moment ago'],
    ['2026-11-21T11:59:00Z', 'since 1 minute ago'],
    ['2026-11-21T11:15:00Z', 'since 45 minutes ago'],
    ['2026-11-21T09:30:00Z', 'since 2 hours ago'],
    ['2026-11-20T10:00:00Z', 'since yesterday'],
    ['2026-11-18T12:00:00Z', 'since 3 days ago'],
    ['2026-11-07T12:00:00Z', 'since 2 weeks ago'],
    ['2026-08-01T12:00:00Z', 'since 3 months ago'],
    ['2024-11-01T12:00:00Z', 'since 2 years ago'],
  ])('%s reads %s', (timestamp, expected) => {
    expect(describeSince(timestamp, now)).toBe(expected);
  });

  it('gives nothing for a timestamp it cannot read', () => {
    expect(describeSince('yesterday-ish', now)).toBeUndefined();
  });
});
