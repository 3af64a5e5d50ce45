/*
 * Helpers shared by the values.yaml and application.yaml editors.
 *
 * Edits are made twice: once on a parsed `Document` (the semantic truth),
 * and once as a minimal splice of the original text so that everything the
 * edit does not touch (comments, alignment, blank lines, quoting) stays
 * byte for byte. The splice is only used when it parses to exactly the same
 * data as the Document edit; otherwise the Document is printed instead.
 * Inserted text is always produced by the `yaml` stringifier, never by
 * concatenating values into YAML.
 */
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '@backstage/errors';
import {
  Document,
  LineCounter,
  Pair,
  Scalar,
  isMap,
  isScalar,
  parseDocument,
  stringify,
  YAMLMap,
} from 'yaml';

/** Print options used whenever the library renders YAML. */
export const STRINGIFY_OPTIONS = { lineWidth: 0 } as const;

const MAX_SHOWN_CHARACTERS = 60;

/** A parsed file with what is needed to point at lines in messages. */
export interface ParsedYaml {
  doc: Document.Parsed;
  source: string;
  lineCounter: LineCounter;
  path: string;
}

/**
 * Quotes a value found in a file for a one-line message (JSON escaping, so
 * newlines and control characters cannot break the line), shortened.
 */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (value === null || value === undefined) {
    return 'nothing';
  } else if (typeof value === 'object') {
    return Array.isArray(value) ? 'a list' : 'a mapping';
  } else {
    text = String(value);
  }
  const characters = Array.from(text);
  const shown =
    characters.length > MAX_SHOWN_CHARACTERS
      ? `${characters.slice(0, MAX_SHOWN_CHARACTERS).join('')}…`
      : text;
  return JSON.stringify(shown);
}

/** Describes the kind of a YAML node for messages. */
export function describeNode(node: unknown): string {
  if (node === null || node === undefined) {
    return 'nothing';
  }
  if (isMap(node)) {
    return 'a mapping';
  }
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) {
      return 'null';
    }
    return typeof value === 'string'
      ? `the string ${showValue(value)}`
      : `the ${typeof value} ${showValue(value)}`;
  }
  if (typeof node === 'object' && 'items' in (node as object)) {
    return 'a list';
  }
  return 'an alias or other node';
}

/**
 * Parses one YAML document; any syntax error (tabs, duplicate keys,
 * several documents, ...) becomes an `InputError` naming the file and line.
 */
export function parseYaml(content: string, path: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, {
    lineCounter,
    keepSourceTokens: false,
    prettyErrors: true,
  });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    // The message's first line names the problem and position; the rest is
    // a copy of the source, which is not needed in an error.
    const headline = error.message.split('\n')[0].replace(/:\s*$/, '');
    throw new InputError(`${path} is not valid YAML: ${headline}`);
  }
  return { doc, source: content, lineCounter, path };
}

/** `line N` of a node's start, for messages. */
export function lineOf(parsed: ParsedYaml, node: unknown): string {
  const range = (node as { range?: [number, number, number] } | undefined)
    ?.range;
  if (!range) {
    return parsed.path;
  }
  return `${parsed.path} line ${parsed.lineCounter.linePos(range[0]).line}`;
}

/** The root mapping, `undefined` for an empty document; InputError otherwise. */
export function rootMap(parsed: ParsedYaml): YAMLMap | undefined {
  const contents = parsed.doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return undefined;
  }
  if (!isMap(contents)) {
    throw new InputError(
      `${lineOf(
        parsed,
        contents,
      )}: the file must be a mapping, found ${describeNode(contents)}`,
    );
  }
  return contents;
}

/** The pair of a mapping whose key is the plain string `key`. */
export function findPair(
  map: YAMLMap | undefined,
  key: string,
): Pair<Scalar, unknown> | undefined {
  return map?.items.find(
    (pair): pair is Pair<Scalar, unknown> =>
      isScalar(pair.key) && pair.key.value === key,
  );
}

/** Index of the first character of the line holding `offset`. */
export function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Position right after the line holding `offset - 1`, i.e. where a new line
 * can be inserted after a node ending at `offset`; `needsNewline` when the
 * file ends without one.
 */
export function afterLine(
  source: string,
  offset: number,
): { at: number; needsNewline: boolean } {
  if (offset > 0 && source[offset - 1] === '\n') {
    return { at: offset, needsNewline: false };
  }
  const newline = source.indexOf('\n', offset);
  return newline === -1
    ? { at: source.length, needsNewline: true }
    : { at: newline + 1, needsNewline: false };
}

/** Column of a block sequence item's `-`, or undefined if not on its own line. */
export function dashColumn(
  source: string,
  itemStart: number,
): number | undefined {
  let i = itemStart - 1;
  while (i >= 0 && source[i] === ' ') {
    i--;
  }
  if (i < 0 || source[i] !== '-') {
    return undefined;
  }
  const start = lineStart(source, i);
  return /^ *$/.test(source.slice(start, i)) ? i - start : undefined;
}

/** Column of an offset on its line, when only spaces precede it. */
export function indentColumn(
  source: string,
  offset: number,
): number | undefined {
  const start = lineStart(source, offset);
  return /^ *$/.test(source.slice(start, offset)) ? offset - start : undefined;
}

/** Indents every non-empty line of rendered YAML by `column` spaces. */
export function indentLines(text: string, column: number): string {
  const indent = ' '.repeat(column);
  return text
    .split('\n')
    .map(line => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}

/** Renders a value as a YAML block (always ends with a newline). */
export function renderYaml(value: unknown): string {
  return new Document(value).toString(STRINGIFY_OPTIONS);
}

/** Renders one scalar inline, in the given style when the value allows it. */
export function renderScalar(value: string, type?: Scalar.Type): string {
  const rendered = stringify(value, {
    ...STRINGIFY_OPTIONS,
    defaultStringType:
      type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? type : 'PLAIN',
  }).replace(/\n$/, '');
  return rendered;
}

/** Uses the file's line endings (CRLF or LF) for inserted text. */
export function matchLineEndings(source: string, text: string): string {
  return source.includes('\r\n') ? text.replace(/\r?\n/g, '\r\n') : text;
}

/** Replaces `source[start, end)` with `text`. */
export function splice(
  source: string,
  start: number,
  end: number,
  text: string,
): string {
  return `${source.slice(0, start)}${matchLineEndings(
    source,
    text,
  )}${source.slice(end)}`;
}

/**
 * Picks the text to write: the minimal splice when it means exactly what
 * the Document edit means, otherwise the printed Document.
 */
export function chooseOutput(
  spliced: string | undefined,
  edited: Document,
): string {
  const expected = edited.toJS();
  if (spliced !== undefined) {
    const reparsed = parseDocument(spliced);
    if (
      reparsed.errors.length === 0 &&
      isDeepStrictEqual(reparsed.toJS(), expected)
    ) {
      return spliced;
    }
  }
  const printed = edited.toString(STRINGIFY_OPTIONS);
  // The fallback is checked as well: it is what gets committed.
  const reparsed = parseDocument(printed);
  if (
    reparsed.errors.length > 0 ||
    !isDeepStrictEqual(reparsed.toJS(), expected)
  ) {
    throw new Error('Internal error: edited YAML does not round-trip');
  }
  return printed;
}
