import { describeSafetyCopyPeriod } from './safetyCopyPeriod';

describe('describeSafetyCopyPeriod', () => {
  it.each([
    [undefined, '7 days (the default)'],
    [{ days: 14 }, '14 days'],
    [{ days: 1, hours: 12 }, '1 day 12 hours'],
    ['P14D', 'P14D'],
    ['14d', '14d'],
    [{}, 'the time the platform configures'],
    [42, 'the time the platform configures'],
  ])('%j reads %j', (value, expected) => {
    expect(describeSafetyCopyPeriod(value)).toBe(expected);
  });
});
