/*
 * Renders user-supplied values inside problem messages. Messages end up in
 * forms, API responses, logs and pull request descriptions, so a value must
 * never break a line, hide characters (bidi overrides, zero-width joiners) or
 * close the quoting around it.
 */

// Controls, format characters, line/paragraph separators, lone surrogates,
// private use, unassigned code points, non-ASCII spaces, and the backtick
// that we quote with.
const NEEDS_ESCAPING =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}`]|(?! )\p{Zs}/u;
const ESCAPED_IN_QUOTES =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}"\\]|(?! )\p{Zs}/gu;

const NAMED_ESCAPES: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '"': '\\"',
  '\\': '\\\\',
};

/** Long values are shown by their start; the full value is not needed to fix it. */
const MAX_DISPLAYED_CHARACTERS = 100;

function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character];
  if (named) {
    return named;
  }
  const codePoint = character.codePointAt(0)!;
  const hex = codePoint.toString(16).toUpperCase();
  return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * Quotes a value for a one-line message: `value` when it is plain, or a
 * double-quoted string with escapes (like JSON) when it holds anything that
 * could be invisible or break the line.
 *
 * @public
 */
export function describeValue(value: string): string {
  const characters = Array.from(value);
  const shown =
    characters.length > MAX_DISPLAYED_CHARACTERS
      ? characters.slice(0, MAX_DISPLAYED_CHARACTERS).join('')
      : value;
  const ellipsis = shown === value ? '' : '…';

  if (!NEEDS_ESCAPING.test(shown)) {
    return `\`${shown}\`${ellipsis}`;
  }
  return `"${shown.replace(ESCAPED_IN_QUOTES, escapeCharacter)}"${ellipsis}`;
}
