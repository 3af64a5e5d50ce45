import { describeValue } from './describeValue';

describe('describeValue', () => {
  it.each([
    ['plain value', 'my-db', '`my-db`'],
    ['quotes and backslashes kept when plain', 'a"b\\c', '`a"b\\c`'],
    ['emoji kept', 'db😀', '`db😀`'],
    ['newline', 'a\nb', '"a\\nb"'],
    ['carriage return and tab', 'a\r\tb', '"a\\r\\tb"'],
    ['backtick', 'a`b', '"a`b"'],
    ['quote escaped once quoted', 'a\n"b"\\', '"a\\n\\"b\\"\\\\"'],
    ['NUL', 'a\u0000b', '"a\\u0000b"'],
    ['C1 next line', 'a\u0085b', '"a\\u0085b"'],
    ['line separator', 'a\u2028b', '"a\\u2028b"'],
    ['paragraph separator', 'a\u2029b', '"a\\u2029b"'],
    ['bidi override', 'a\u202eb', '"a\\u202Eb"'],
    ['zero-width space', 'a\u200bb', '"a\\u200Bb"'],
    ['no-break space', 'a\u00a0b', '"a\\u00A0b"'],
    ['astral format character', 'a\u{e0001}b', '"a\\u{E0001}b"'],
    ['lone surrogate', 'a\ud800b', '"a\\uD800b"'],
  ])('%s', (_, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('shows long values by their first 100 characters', () => {
    expect(describeValue('a'.repeat(150))).toBe(`\`${'a'.repeat(100)}\`…`);
    expect(describeValue('a'.repeat(100))).toBe(`\`${'a'.repeat(100)}\``);
  });

  it('never splits a character when shortening', () => {
    expect(describeValue('😀'.repeat(101))).toBe(`\`${'😀'.repeat(100)}\`…`);
  });
});
