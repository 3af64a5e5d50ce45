import { readableEntity, readableTime } from './readable';

describe('readableEntity', () => {
  it('names a user of the default namespace by name alone', () => {
    expect(readableEntity('user:default/pat')).toBe('pat');
  });

  it('keeps another namespace, and says what a group is', () => {
    expect(readableEntity('user:partners/pat')).toBe('pat (partners)');
    expect(readableEntity('group:default/platform')).toBe('group platform');
  });

  it('keeps what is not an entity ref as it is', () => {
    expect(readableEntity('someone')).toBe('someone');
    expect(readableEntity('')).toBe('');
  });
});

describe('readableTime', () => {
  it('writes day, date and minute in UTC, saying UTC', () => {
    expect(readableTime(new Date('2026-12-07T11:20:59.999Z'))).toBe(
      'Mon 7 Dec 2026, 11:20 UTC',
    );
    expect(readableTime(new Date('2026-01-01T00:05:00Z'))).toBe(
      'Thu 1 Jan 2026, 00:05 UTC',
    );
  });

  it('refuses an invalid date', () => {
    expect(() => readableTime(new Date('not a date'))).toThrow(
      'readableTime needs a valid date',
    );
  });
});
