import { parseDocument } from 'yaml';
import {
  addDatabaseEntry,
  parseDatabaseDefinitions,
  removeDatabaseEntry,
  updateDatabaseEntry,
} from './valuesYaml';

/** Lines of a file, each ending with a newline. */
const lines = (...content: string[]) => `${content.join('\n')}\n`;

const PATH = 'payments/ledger/values.yaml';

const COMMENTED = lines(
  '# Databases of the ledger service',
  'postgresqlDatabases:   # one entry per database',
  '  # the main one',
  '  - name: ledger      # aligned comment',
  '    mode: protected   # deletion protection',
  '',
  '  - name: "audit"',
  '    mode: standard',
  '  # - name: retired  (commented out)',
  'resources:',
  '  cpu: 2 # keep me',
);

describe('parseDatabaseDefinitions', () => {
  it.each([
    ['an empty file', '', []],
    ['only comments', '# nothing yet\n', []],
    ['a null list', 'postgresqlDatabases:\n', []],
    ['an empty list', 'postgresqlDatabases: []\n', []],
    ['other keys only', 'resources:\n  cpu: 2\n', []],
    [
      'a missing mode (standard)',
      lines('postgresqlDatabases:', '  - name: a'),
      [{ name: 'a', mode: 'standard' }],
    ],
    [
      'a commented file',
      COMMENTED,
      [
        { name: 'ledger', mode: 'protected' },
        { name: 'audit', mode: 'standard' },
      ],
    ],
    [
      'a flow list',
      'postgresqlDatabases: [{name: a, mode: protected}]\n',
      [{ name: 'a', mode: 'protected' }],
    ],
  ])('reads %s', (_, content, expected) => {
    expect(parseDatabaseDefinitions(content, PATH)).toEqual(expected);
  });

  it.each([
    [
      'a mapping for the list',
      'postgresqlDatabases: {}\n',
      /line 1: postgresqlDatabases must be a list, found a mapping/,
    ],
    [
      'a string for the list',
      'postgresqlDatabases: oops\n',
      /must be a list, found the string "oops"/,
    ],
    [
      'tab indentation',
      'postgresqlDatabases:\n\t- name: a\n',
      /is not valid YAML: Tabs are not allowed as indentation at line 2/,
    ],
    ['invalid YAML', 'postgresqlDatabases: [\n', /is not valid YAML/],
    [
      'a number as name',
      lines('postgresqlDatabases:', '  - name: 5'),
      /line 2: entry 1 of postgresqlDatabases needs a string name, found the number "5"/,
    ],
    [
      'a missing name',
      lines('postgresqlDatabases:', '  - mode: standard'),
      /entry 1 of postgresqlDatabases needs a string name, found nothing/,
    ],
    [
      'a scalar entry',
      lines('postgresqlDatabases:', '  - a'),
      /entry 1 of postgresqlDatabases must be a mapping with a name/,
    ],
    [
      'an unknown mode',
      lines('postgresqlDatabases:', '  - name: a', '    mode: forever'),
      /\("a"\) has an unknown mode "forever"; expected one of standard, protected/,
    ],
    [
      'a duplicate name',
      lines(
        'postgresqlDatabases:',
        '  - name: a',
        '  - name: b',
        '  - name: a',
      ),
      /line 4: entry 3 of postgresqlDatabases repeats the name "a" of entry 1/,
    ],
    [
      'a duplicate key',
      lines('postgresqlDatabases: []', 'postgresqlDatabases: []'),
      /Map keys must be unique at line 2/,
    ],
    [
      'a list at the top',
      lines('- name: a'),
      /the file must be a mapping, found a list/,
    ],
    ['two documents', lines('a: 1', '---', 'b: 2'), /multiple documents/],
  ])('refuses %s with an InputError naming the file', (_, content, message) => {
    let error: Error | undefined;
    try {
      parseDatabaseDefinitions(content, PATH);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(PATH);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });
});

describe('addDatabaseEntry', () => {
  it.each([
    [
      'a new file, with a header',
      undefined,
      lines(
        '# PostgreSQL databases of this folder, managed by the dbaas self-service.',
        '# Each entry creates the database <namespace>-<name> with the roles',
        '# <namespace>-<name>-read, -write and -admin and their secrets.',
        '# mode: standard | protected (protected = deletion protection: removing',
        '# the entry leaves the data in the cluster).',
        'postgresqlDatabases:',
        '  - name: new-db',
        '    mode: standard',
      ),
    ],
    [
      'a commented file, keeping comments, alignment, blank lines and other keys',
      COMMENTED,
      lines(
        '# Databases of the ledger service',
        'postgresqlDatabases:   # one entry per database',
        '  # the main one',
        '  - name: ledger      # aligned comment',
        '    mode: protected   # deletion protection',
        '',
        '  - name: "audit"',
        '    mode: standard',
        '',
        '  - name: new-db',
        '    mode: standard',
        '  # - name: retired  (commented out)',
        'resources:',
        '  cpu: 2 # keep me',
      ),
    ],
    [
      'a list indented at column 0',
      lines('postgresqlDatabases:', '- name: a', '  mode: standard'),
      lines(
        'postgresqlDatabases:',
        '- name: a',
        '  mode: standard',
        '- name: new-db',
        '  mode: standard',
      ),
    ],
    [
      'a file without a final newline',
      'postgresqlDatabases:\n  - name: a',
      lines(
        'postgresqlDatabases:',
        '  - name: a',
        '  - name: new-db',
        '    mode: standard',
      ),
    ],
    [
      'a file with other keys only',
      lines('# settings', 'resources:', '  cpu: 2'),
      lines(
        '# settings',
        'resources:',
        '  cpu: 2',
        'postgresqlDatabases:',
        '  - name: new-db',
        '    mode: standard',
      ),
    ],
    [
      'an empty file',
      '',
      lines('postgresqlDatabases:', '  - name: new-db', '    mode: standard'),
    ],
    [
      'a null list',
      lines('postgresqlDatabases:  # none yet', 'other: 1'),
      lines(
        'postgresqlDatabases:  # none yet',
        '  - name: new-db',
        '    mode: standard',
        'other: 1',
      ),
    ],
    [
      'an empty flow list',
      lines('postgresqlDatabases: []', 'other: 1'),
      lines(
        'postgresqlDatabases:',
        '  - name: new-db',
        '    mode: standard',
        'other: 1',
      ),
    ],
    [
      'a flow list with entries',
      lines('postgresqlDatabases: [{ name: a, mode: standard }]'),
      lines(
        'postgresqlDatabases: [ { name: a, mode: standard }, { name: new-db, mode: standard } ]',
      ),
    ],
  ])('adds to %s', (_, content, expected) => {
    expect(
      addDatabaseEntry(content, { name: 'new-db', mode: 'standard' }, PATH),
    ).toBe(expected);
  });

  it('keeps both entries after two successive adds', () => {
    const once = addDatabaseEntry(
      COMMENTED,
      { name: 'first', mode: 'standard' },
      PATH,
    );
    const twice = addDatabaseEntry(
      once,
      { name: 'second', mode: 'protected' },
      PATH,
    );
    expect(parseDatabaseDefinitions(twice, PATH)).toEqual([
      { name: 'ledger', mode: 'protected' },
      { name: 'audit', mode: 'standard' },
      { name: 'first', mode: 'standard' },
      { name: 'second', mode: 'protected' },
    ]);
    expect(twice.startsWith(once.split('  # - name: retired')[0])).toBe(true);
    expect(twice).toContain('  cpu: 2 # keep me\n');
  });

  it('refuses a name that is already listed (ConflictError)', () => {
    expect(() =>
      addDatabaseEntry(COMMENTED, { name: 'audit', mode: 'standard' }, PATH),
    ).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: `Database "audit" is already defined in ${PATH}`,
      }),
    );
  });

  it.each([
    'postgresqlDatabases: {}\n',
    'postgresqlDatabases:\n\t- name: a\n',
    lines('postgresqlDatabases:', '  - name: 5'),
    lines('postgresqlDatabases:', '  - name: a', '  - name: a'),
  ])('refuses to edit a malformed file %j', content => {
    expect(() =>
      addDatabaseEntry(content, { name: 'new-db', mode: 'standard' }, PATH),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });

  it('refuses an unknown mode', () => {
    expect(() =>
      addDatabaseEntry(
        COMMENTED,
        { name: 'x', mode: 'forever' as unknown as 'standard' },
        PATH,
      ),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });

  it.each([
    'x\nadmin: true',
    'x\n  admin: true',
    'x: y',
    '"x", admin: true',
    '&a x',
    '*a',
    '{admin: true}',
    '- x',
    '#x',
  ])('writes %j as a single string value, never as YAML', name => {
    const out = addDatabaseEntry(COMMENTED, { name, mode: 'standard' }, PATH);
    const doc = parseDocument(out);
    expect(doc.errors).toEqual([]);
    expect(Object.keys(doc.toJS())).toEqual([
      'postgresqlDatabases',
      'resources',
    ]);
    const list = doc.toJS().postgresqlDatabases;
    expect(list).toHaveLength(3);
    expect(list[2]).toEqual({ name, mode: 'standard' });
  });
});

describe('updateDatabaseEntry', () => {
  it.each([
    [
      'a commented entry, keeping its comment',
      COMMENTED,
      'ledger',
      'standard' as const,
      COMMENTED.replace(
        '    mode: protected   # deletion protection',
        '    mode: standard   # deletion protection',
      ),
    ],
    [
      'a quoted mode, keeping its quotes',
      lines('postgresqlDatabases:', '  - name: a', '    mode: "standard"'),
      'a',
      'protected' as const,
      lines('postgresqlDatabases:', '  - name: a', '    mode: "protected"'),
    ],
    [
      'an entry without mode',
      lines(
        'postgresqlDatabases:',
        '  - name: a',
        '    extra: 1 # mine',
        '  - name: b',
      ),
      'a',
      'protected' as const,
      lines(
        'postgresqlDatabases:',
        '  - name: a',
        '    extra: 1 # mine',
        '    mode: protected',
        '  - name: b',
      ),
    ],
  ])('changes the mode of %s', (_, content, name, mode, expected) => {
    expect(updateDatabaseEntry(content, name, { mode }, PATH)).toBe(expected);
  });

  it.each([
    ['the same mode', COMMENTED, 'audit', 'standard' as const],
    [
      'standard on an entry without mode',
      lines('postgresqlDatabases:', '  - name: a'),
      'a',
      'standard' as const,
    ],
    ['no change', COMMENTED, 'audit', undefined],
  ])('returns the content unchanged for %s', (_, content, name, mode) => {
    expect(updateDatabaseEntry(content, name, { mode }, PATH)).toBe(content);
  });

  it('throws NotFoundError for a missing entry', () => {
    expect(() =>
      updateDatabaseEntry(COMMENTED, 'nope', { mode: 'standard' }, PATH),
    ).toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: `Database "nope" is not defined in ${PATH}`,
      }),
    );
  });

  it('refuses a malformed file', () => {
    expect(() =>
      updateDatabaseEntry(
        'postgresqlDatabases: {}\n',
        'a',
        { mode: 'standard' },
        PATH,
      ),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });
});

describe('removeDatabaseEntry', () => {
  it.each([
    [
      'the first entry, keeping the rest',
      COMMENTED,
      'ledger',
      lines(
        '# Databases of the ledger service',
        'postgresqlDatabases:   # one entry per database',
        '  # the main one',
        '',
        '  - name: "audit"',
        '    mode: standard',
        '  # - name: retired  (commented out)',
        'resources:',
        '  cpu: 2 # keep me',
      ),
    ],
    [
      'the last entry, keeping the rest',
      COMMENTED,
      'audit',
      lines(
        '# Databases of the ledger service',
        'postgresqlDatabases:   # one entry per database',
        '  # the main one',
        '  - name: ledger      # aligned comment',
        '    mode: protected   # deletion protection',
        '',
        '  # - name: retired  (commented out)',
        'resources:',
        '  cpu: 2 # keep me',
      ),
    ],
    [
      'the only entry of a file with other keys (an empty list remains)',
      lines(
        'postgresqlDatabases: # the list',
        '  - name: a',
        '    mode: standard',
        'resources:',
        '  cpu: 2',
      ),
      'a',
      lines('postgresqlDatabases: [] # the list', 'resources:', '  cpu: 2'),
    ],
    [
      'an entry of a flow list',
      lines('postgresqlDatabases: [{ name: a }, { name: b }]'),
      'a',
      lines('postgresqlDatabases: [ { name: b } ]'),
    ],
  ])('removes %s', (_, content, name, expected) => {
    expect(removeDatabaseEntry(content, name, PATH)).toBe(expected);
  });

  it('returns null when the file would hold nothing else', () => {
    expect(
      removeDatabaseEntry(
        lines('# header', 'postgresqlDatabases:', '  - name: a'),
        'a',
        PATH,
      ),
    ).toBeNull();
  });

  it('throws NotFoundError for a missing entry', () => {
    expect(() => removeDatabaseEntry(COMMENTED, 'nope', PATH)).toThrow(
      expect.objectContaining({ name: 'NotFoundError' }),
    );
  });

  it('refuses a malformed file', () => {
    expect(() =>
      removeDatabaseEntry(
        lines('postgresqlDatabases:', '  - name: a', '  - name: a'),
        'a',
        PATH,
      ),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });
});

describe('other shapes', () => {
  const NESTED = lines(
    'postgresqlDatabases:',
    '  - name: a',
    '    extensions:',
    '      - pgcrypto',
    '    mode: standard',
    '  - name: b',
    '    settings: { x: 1 }',
  );

  it('adds after an entry with nested values', () => {
    expect(
      addDatabaseEntry(NESTED, { name: 'c', mode: 'protected' }, PATH),
    ).toBe(`${NESTED}  - name: c\n    mode: protected\n`);
  });

  it('removes an entry with nested values', () => {
    expect(removeDatabaseEntry(NESTED, 'a', PATH)).toBe(
      lines('postgresqlDatabases:', '  - name: b', '    settings: { x: 1 }'),
    );
  });

  it('keeps CRLF line endings', () => {
    const crlf = NESTED.replace(/\n/g, '\r\n');
    const added = addDatabaseEntry(crlf, { name: 'c', mode: 'standard' }, PATH);
    expect(added).toBe(`${crlf}  - name: c\r\n    mode: standard\r\n`);
    expect(updateDatabaseEntry(crlf, 'a', { mode: 'protected' }, PATH)).toBe(
      crlf.replace('mode: standard', 'mode: protected'),
    );
    expect(removeDatabaseEntry(crlf, 'b', PATH)).toBe(
      crlf.replace('  - name: b\r\n    settings: { x: 1 }\r\n', ''),
    );
    expect(
      addDatabaseEntry('other: 1\r\n', { name: 'c', mode: 'standard' }, PATH),
    ).toBe(
      'other: 1\r\npostgresqlDatabases:\r\n  - name: c\r\n    mode: standard\r\n',
    );
  });

  it('adds to a file with a document start marker', () => {
    const content = lines('---', 'postgresqlDatabases:', '  - name: a');
    expect(
      addDatabaseEntry(content, { name: 'c', mode: 'standard' }, PATH),
    ).toBe(`${content}  - name: c\n    mode: standard\n`);
  });
});
