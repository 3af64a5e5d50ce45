import { formatDuration } from './formatDuration';

describe('formatDuration', () => {
  it('names the largest unit and the next one when not zero', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(0.4)).toBe('0 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(4 * 3600)).toBe('4 h');
    expect(formatDuration(25 * 3600 + 30)).toBe('1 d 1 h');
    expect(formatDuration(-3)).toBe('0 s');
  });
});
