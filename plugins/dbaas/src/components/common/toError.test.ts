import { toError } from './toError';

describe('toError', () => {
  it('keeps an Error as it is', () => {
    const error = new Error('Failed to fetch');
    expect(toError(error)).toBe(error);
  });

  it.each([
    ['a string', 'offline', 'offline'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['an object', { status: 500 }, '[object Object]'],
  ])('wraps %s in an Error with its text', (_kind, value, message) => {
    const error = toError(value);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(message);
  });
});
