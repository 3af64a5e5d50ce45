import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DATABASE_MODES,
  DatabaseMode,
  isDatabaseMode,
} from '@dbaas/plugin-dbaas-common';
import {
  Document,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isMap,
  isScalar,
  isSeq,
} from 'yaml';
import {
  ParsedYaml,
  afterLine,
  chooseOutput,
  dashColumn,
  describeNode,
  findPair,
  indentColumn,
  indentLines,
  lineOf,
  lineStart,
  parseYaml,
  renderScalar,
  renderYaml,
  rootMap,
  showValue,
  splice,
} from './yamlSource';

/**
 * The top-level key of `values.yaml` that lists a folder's databases.
 *
 * @public
 */
export const DATABASES_KEY = 'postgresqlDatabases';

/**
 * The mode an entry without `mode` gets.
 *
 * @public
 */
export const DEFAULT_DATABASE_MODE: DatabaseMode = 'standard';

/**
 * One entry of a `values.yaml` `postgresqlDatabases` list.
 *
 * @public
 */
export interface DatabaseDefinition {
  name: string;
  mode: DatabaseMode;
}

const NEW_FILE_HEADER = [
  ' PostgreSQL databases of this folder, managed by the dbaas self-service.',
  ' Each entry creates the database <namespace>-<name> with the roles',
  ' <namespace>-<name>-read, -write and -admin and their secrets.',
  ' mode: standard | protected (protected = deletion protection: removing',
  ' the entry leaves the data in the cluster).',
].join('\n');

interface Entry extends DatabaseDefinition {
  node: YAMLMap;
  index: number;
}

interface ParsedValues {
  parsed: ParsedYaml;
  root?: YAMLMap;
  pair?: Pair<Scalar, unknown>;
  /** Absent when the key is missing or its value is null. */
  seq?: YAMLSeq;
  entries: Entry[];
}

function readValues(content: string, path: string): ParsedValues {
  const parsed = parseYaml(content, path);
  const root = rootMap(parsed);
  const pair = findPair(root, DATABASES_KEY);
  const value = pair?.value;
  if (!pair || value === null || (isScalar(value) && value.value === null)) {
    return { parsed, root, pair, entries: [] };
  }
  if (!isSeq(value)) {
    throw new InputError(
      `${lineOf(
        parsed,
        value,
      )}: ${DATABASES_KEY} must be a list, found ${describeNode(value)}`,
    );
  }

  const entries: Entry[] = [];
  const seen = new Map<string, number>();
  value.items.forEach((item, index) => {
    const where = `${lineOf(parsed, item)}: entry ${
      index + 1
    } of ${DATABASES_KEY}`;
    if (!isMap(item)) {
      throw new InputError(
        `${where} must be a mapping with a name, found ${describeNode(item)}`,
      );
    }
    const nameNode = findPair(item, 'name')?.value;
    if (
      !isScalar(nameNode) ||
      typeof nameNode.value !== 'string' ||
      nameNode.value === ''
    ) {
      throw new InputError(
        `${where} needs a string name, found ${describeNode(nameNode)}`,
      );
    }
    const name = nameNode.value;

    const modeNode = findPair(item, 'mode')?.value;
    let mode: DatabaseMode = DEFAULT_DATABASE_MODE;
    if (modeNode !== undefined && modeNode !== null) {
      const modeValue = isScalar(modeNode) ? modeNode.value : modeNode;
      if (modeValue !== null) {
        if (!isDatabaseMode(modeValue)) {
          throw new InputError(
            `${where} (${showValue(name)}) has an unknown mode ${
              isScalar(modeNode) ? showValue(modeValue) : describeNode(modeNode)
            }; expected one of ${DATABASE_MODES.join(', ')}`,
          );
        }
        mode = modeValue;
      }
    }

    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new InputError(
        `${where} repeats the name ${showValue(name)} of entry ${previous + 1}`,
      );
    }
    seen.set(name, index);
    entries.push({ name, mode, node: item, index });
  });
  return { parsed, root, pair, seq: value, entries };
}

function findEntry(values: ParsedValues, name: string, path: string): Entry {
  const entry = values.entries.find(e => e.name === name);
  if (!entry) {
    throw new NotFoundError(
      `Database ${showValue(name)} is not defined in ${path}`,
    );
  }
  return entry;
}

/**
 * Reads the databases a `values.yaml` defines, in file order. An entry
 * without `mode` is `standard`. Throws `InputError` naming the file and line
 * when the file is not YAML, `postgresqlDatabases` is not a list, an entry
 * has no string `name` or an unknown `mode`, or a name is repeated.
 *
 * @public
 */
export function parseDatabaseDefinitions(
  content: string,
  path: string,
): DatabaseDefinition[] {
  return readValues(content, path).entries.map(({ name, mode }) => ({
    name,
    mode,
  }));
}

function checkMode(mode: unknown, path: string): asserts mode is DatabaseMode {
  if (!isDatabaseMode(mode)) {
    throw new InputError(
      `Cannot write ${path}: unknown mode ${showValue(
        mode,
      )}; expected one of ${DATABASE_MODES.join(', ')}`,
    );
  }
}

function checkName(name: unknown, path: string): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new InputError(`Cannot write ${path}: a database name is required`);
  }
}

/**
 * Adds a database to a `values.yaml` and returns the new content. Creates
 * the file (with a short comment header) when `content` is undefined; keeps
 * comments, order, formatting, other entries and other keys of an existing
 * file. Throws `ConflictError` when the name is already listed and
 * `InputError` when the file is malformed.
 *
 * @public
 */
export function addDatabaseEntry(
  content: string | undefined,
  entry: DatabaseDefinition,
  path: string,
): string {
  checkName(entry.name, path);
  checkMode(entry.mode, path);
  const item = { name: entry.name, mode: entry.mode };

  if (content === undefined) {
    const doc = new Document({ [DATABASES_KEY]: [item] });
    (doc.contents as YAMLMap).commentBefore = NEW_FILE_HEADER;
    return chooseOutput(undefined, doc);
  }

  const values = readValues(content, path);
  if (values.entries.some(e => e.name === entry.name)) {
    throw new ConflictError(
      `Database ${showValue(entry.name)} is already defined in ${path}`,
    );
  }

  // The semantic edit, on a fresh copy of the document.
  const edited = readValues(content, path);
  const itemNode = edited.parsed.doc.createNode(item);
  if (edited.seq) {
    edited.seq.items.push(itemNode);
    if (edited.seq.flow && edited.seq.items.length === 1) {
      edited.seq.flow = false;
    }
  } else if (edited.pair) {
    edited.pair.value = edited.parsed.doc.createNode([item]);
  } else if (edited.root) {
    edited.root.add(edited.parsed.doc.createPair(DATABASES_KEY, [item]));
  } else {
    (edited.parsed.doc as Document).contents = edited.parsed.doc.createNode({
      [DATABASES_KEY]: [item],
    }) as YAMLMap;
  }

  return chooseOutput(spliceAdd(content, values, item), edited.parsed.doc);
}

function spliceAdd(
  source: string,
  values: ParsedValues,
  item: { name: string; mode: DatabaseMode },
): string | undefined {
  const { pair, seq } = values;
  if (!pair) {
    // Append the key at the end of the file.
    const prefix = source === '' || source.endsWith('\n') ? '' : '\n';
    return splice(
      source,
      source.length,
      source.length,
      `${prefix}${renderYaml({ [DATABASES_KEY]: [item] })}`,
    );
  }
  if (!seq) {
    // `postgresqlDatabases:` with no value: list under the key.
    const keyColumn = indentColumn(source, pair.key.range![0]);
    const valueEnd =
      (pair.value as Scalar | null)?.range?.[1] ?? pair.key.range![1];
    if (keyColumn === undefined) {
      return undefined;
    }
    const { at, needsNewline } = afterLine(source, valueEnd);
    const text = indentLines(renderYaml([item]), keyColumn + 2);
    return splice(source, at, at, `${needsNewline ? '\n' : ''}${text}`);
  }
  if (seq.flow || seq.items.length === 0) {
    return undefined;
  }
  const last = seq.items[seq.items.length - 1] as YAMLMap;
  const column = dashColumn(source, last.range![0]);
  if (column === undefined) {
    return undefined;
  }
  const { at, needsNewline } = afterLine(source, last.range![1]);
  const blankLine = last.spaceBefore ? '\n' : '';
  const text = indentLines(renderYaml([item]), column);
  return splice(
    source,
    at,
    at,
    `${needsNewline ? '\n' : ''}${blankLine}${text}`,
  );
}

/**
 * Changes a database's entry in a `values.yaml` and returns the new content
 * (the same content when nothing changes). Throws `NotFoundError` when the
 * database is not listed.
 *
 * @public
 */
export function updateDatabaseEntry(
  content: string,
  name: string,
  changes: { mode?: DatabaseMode },
  path: string,
): string {
  const values = readValues(content, path);
  const entry = findEntry(values, name, path);
  if (changes.mode === undefined) {
    return content;
  }
  checkMode(changes.mode, path);
  const modeNode = findPair(entry.node, 'mode')?.value;
  const explicit = isScalar(modeNode) && modeNode.value !== null;
  if (entry.mode === changes.mode && (explicit || !modeNode)) {
    return content;
  }

  const edited = readValues(content, path);
  edited.entries[entry.index].node.set('mode', changes.mode);

  let spliced: string | undefined;
  const source = values.parsed.source;
  if (isScalar(modeNode) && modeNode.range && modeNode.source !== '') {
    spliced = splice(
      source,
      modeNode.range[0],
      modeNode.range[1],
      renderScalar(changes.mode, modeNode.type),
    );
  } else if (!modeNode && !entry.node.flow && entry.node.items.length > 0) {
    const firstKey = entry.node.items[0].key as Scalar;
    const keyStart = firstKey.range![0];
    const column = keyStart - lineStart(source, keyStart);
    const { at, needsNewline } = afterLine(source, entry.node.range![1]);
    const text = indentLines(renderYaml({ mode: changes.mode }), column);
    spliced = splice(source, at, at, `${needsNewline ? '\n' : ''}${text}`);
  }
  return chooseOutput(spliced, edited.parsed.doc);
}

/**
 * Removes a database from a `values.yaml`. Returns the new content, or
 * `null` when the list becomes empty and the file holds nothing else (the
 * folder's files should then be deleted). Throws `NotFoundError` when the
 * database is not listed.
 *
 * @public
 */
export function removeDatabaseEntry(
  content: string,
  name: string,
  path: string,
): string | null {
  const values = readValues(content, path);
  const entry = findEntry(values, name, path);
  const otherKeys = (values.root?.items.length ?? 0) - 1;
  if (values.entries.length === 1 && otherKeys === 0) {
    return null;
  }

  const edited = readValues(content, path);
  edited.seq!.items.splice(entry.index, 1);
  if (edited.seq!.items.length === 0) {
    edited.seq!.flow = true;
  }

  let spliced: string | undefined;
  const source = values.parsed.source;
  const dash = dashColumn(source, entry.node.range![0]);
  if (!values.seq!.flow && dash !== undefined) {
    const start = lineStart(source, entry.node.range![0]);
    const { at: end } = afterLine(source, entry.node.range![1]);
    spliced = splice(source, start, end, '');
    if (values.entries.length === 1) {
      // The list is now empty: say so explicitly rather than leave a null.
      const keyEnd = values.pair!.key.range![1];
      const colon = source.indexOf(':', keyEnd);
      spliced =
        colon !== -1 && /^ *$/.test(source.slice(keyEnd, colon))
          ? splice(spliced, colon + 1, colon + 1, ' []')
          : undefined;
    }
  }
  return chooseOutput(spliced, edited.parsed.doc);
}
