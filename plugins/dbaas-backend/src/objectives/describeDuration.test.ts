import { describeDuration } from './describeDuration';

describe('describeDuration', () => {
  it('names the largest unit and the next one when not zero', () => {
    expect(describeDuration(0)).toBe('0 s');
    expect(describeDuration(12_400)).toBe('12 s');
    expect(describeDuration(250_000)).toBe('4 min 10 s');
    expect(describeDuration(2 * 3_600_000)).toBe('2 h');
    expect(describeDuration(25 * 3_600_000 + 59_000)).toBe('1 d 1 h');
    expect(describeDuration(-5)).toBe('0 s');
  });
});
