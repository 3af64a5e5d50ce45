import { parseDocument } from 'yaml';
import type { FileEdit, ReadFile } from '../appsRepo/types';
import {
  createDatabaseEdit,
  databaseFolderPaths,
  deleteDatabaseEdit,
  normalizeBasePath,
  updateDatabaseEdit,
} from './databaseChanges';
import { findDefinedDatabases } from './definedDatabases';

const lines = (...content: string[]) => `${content.join('\n')}\n`;

function reader(files: Record<string, string>): ReadFile {
  return async path => files[path];
}

const LEDGER_VALUES = lines(
  '# ledger databases',
  'postgresqlDatabases:',
  '  - name: ledger',
  '    mode: protected # keep',
);
const LEDGER_APP = lines(
  'apiVersion: v2',
  'name: ledger',
  'description: ledger',
  'version: 0.1.0',
  'slackChannel: payments',
  'helm:',
  '  chart: helm/idp-postgresql',
  '  chartVersion: "1.0.1"',
);
const REPO = {
  'apps/payments/ledger/values.yaml': LEDGER_VALUES,
  'apps/payments/ledger/application.yaml': LEDGER_APP,
};

const base = { basePath: 'apps', namespace: 'payments' };

describe('paths', () => {
  it.each([
    ['', 'payments/ledger/values.yaml'],
    ['apps', 'apps/payments/ledger/values.yaml'],
    ['/apps/', 'apps/payments/ledger/values.yaml'],
    ['./apps', 'apps/payments/ledger/values.yaml'],
    ['gitops/apps', 'gitops/apps/payments/ledger/values.yaml'],
  ])('base path %j', (basePath, expected) => {
    expect(
      databaseFolderPaths({ basePath, namespace: 'payments', folder: 'ledger' })
        .values,
    ).toBe(expected);
  });

  it.each(['../x', 'a/../b', 'a//b', '.git', 'a/.GIT/b', 'a\\b'])(
    'refuses base path %j',
    basePath => {
      expect(() => normalizeBasePath(basePath)).toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    },
  );
});

describe('createDatabaseEdit', () => {
  it('creates a new folder with values.yaml and application.yaml', async () => {
    const edit = createDatabaseEdit({
      ...base,
      folder: 'orders',
      name: 'orders',
      slackChannel: 'payments-team',
      chartVersion: '1.0.1',
    });
    const edits = await edit(reader(REPO));
    expect(edits).toEqual<FileEdit[]>([
      {
        path: 'apps/payments/orders/values.yaml',
        content: expect.stringContaining(
          lines(
            'postgresqlDatabases:',
            '  - name: orders',
            '    mode: standard',
          ),
        ),
      },
      {
        path: 'apps/payments/orders/application.yaml',
        content: lines(
          'apiVersion: v2',
          'name: orders',
          'description: orders',
          'version: 0.1.0',
          'slackChannel: payments-team',
          'helm:',
          '  chart: helm/idp-postgresql',
          '  chartVersion: "1.0.1"',
        ),
      },
    ]);
  });

  it('adds to an existing folder and leaves its application.yaml alone', async () => {
    const edit = createDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'ledger-archive',
      mode: 'protected',
      chartVersion: '9.9.9',
    });
    expect(await edit(reader(REPO))).toEqual([
      {
        path: 'apps/payments/ledger/values.yaml',
        content: lines(
          '# ledger databases',
          'postgresqlDatabases:',
          '  - name: ledger',
          '    mode: protected # keep',
          '  - name: ledger-archive',
          '    mode: protected',
        ),
      },
    ]);
  });

  it('keeps an application.yaml left without values.yaml', async () => {
    const edit = createDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'ledger',
      chartVersion: '9.9.9',
    });
    const edits = await edit(
      reader({ 'apps/payments/ledger/application.yaml': LEDGER_APP }),
    );
    expect(edits.map(e => e.path)).toEqual([
      'apps/payments/ledger/values.yaml',
    ]);
  });

  it('refuses a database the folder already lists', async () => {
    const edit = createDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'ledger',
      chartVersion: '1.0.1',
    });
    await expect(edit(reader(REPO))).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('refuses a malformed values.yaml', async () => {
    const edit = createDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'other',
      chartVersion: '1.0.1',
    });
    await expect(
      edit(
        reader({
          'apps/payments/ledger/values.yaml': 'postgresqlDatabases: {}\n',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('apps/payments/ledger/values.yaml'),
    });
  });

  it.each([
    ['name', { name: 'x\nadmin: true' }],
    ['name', { name: 'x: y' }],
    ['name', { name: '../../clusters/prod/x' }],
    ['name', { name: 'a/b' }],
    ['name', { name: 'Upper' }],
    ['name', { name: '' }],
    ['namespace', { namespace: '../etc' }],
    ['namespace', { namespace: 'a/b' }],
    ['folder', { folder: '../x' }],
    ['folder', { folder: 'x\nadmin: true' }],
    ['folder', { folder: '.' }],
    ['mode', { mode: 'forever' }],
    ['chartVersion', { chartVersion: '1\nadmin: true' }],
    ['slackChannel', { slackChannel: 'a\nadmin: true' }],
    ['length', { namespace: 'n'.repeat(40), name: 'd'.repeat(20) }],
  ])('validates the %s when the edit is built: %j', (_, override) => {
    expect(() =>
      createDatabaseEdit({
        ...base,
        folder: 'orders',
        name: 'orders',
        chartVersion: '1.0.1',
        ...(override as object),
      }),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });

  it('does not apply reserved-namespace policy (the caller does)', () => {
    expect(() =>
      createDatabaseEdit({
        basePath: '',
        namespace: 'default',
        folder: 'a',
        name: 'a',
        chartVersion: '1',
      }),
    ).not.toThrow();
  });
});

describe('updateDatabaseEdit', () => {
  const target = { ...base, folder: 'ledger', name: 'ledger' };

  it('changes the mode', async () => {
    const edits = await updateDatabaseEdit({ ...target, mode: 'standard' })(
      reader(REPO),
    );
    expect(edits).toEqual([
      {
        path: 'apps/payments/ledger/values.yaml',
        content: LEDGER_VALUES.replace('mode: protected', 'mode: standard'),
      },
    ]);
  });

  it('changes the chart version', async () => {
    const edits = await updateDatabaseEdit({
      ...target,
      chartVersion: '1.1.0',
    })(reader(REPO));
    expect(edits).toEqual([
      {
        path: 'apps/payments/ledger/application.yaml',
        content: LEDGER_APP.replace('"1.0.1"', '"1.1.0"'),
      },
    ]);
  });

  it('changes both', async () => {
    const edits = await updateDatabaseEdit({
      ...target,
      mode: 'standard',
      chartVersion: '1.1.0',
    })(reader(REPO));
    expect(edits.map(e => e.path)).toEqual([
      'apps/payments/ledger/values.yaml',
      'apps/payments/ledger/application.yaml',
    ]);
  });

  it('returns no edits when the repository already says so', async () => {
    expect(
      await updateDatabaseEdit({
        ...target,
        mode: 'protected',
        chartVersion: '1.0.1',
      })(reader(REPO)),
    ).toEqual([]);
  });

  it.each([
    [{ ...target, name: 'other', mode: 'standard' as const }, REPO],
    [{ ...target, mode: 'standard' as const }, {}],
    [
      { ...target, chartVersion: '2.0.0' },
      { 'apps/payments/ledger/values.yaml': LEDGER_VALUES },
    ],
  ])('throws NotFoundError for %j', async (input, files) => {
    await expect(
      updateDatabaseEdit(input)(reader(files)),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses an update without changes', () => {
    expect(() => updateDatabaseEdit(target)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});

describe('deleteDatabaseEdit', () => {
  it('removes one entry and keeps the others', async () => {
    const values = lines(
      'postgresqlDatabases:',
      '  - name: ledger',
      '    mode: protected # keep',
      '  - name: audit',
      '    mode: standard',
    );
    const edits = await deleteDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'audit',
    })(reader({ ...REPO, 'apps/payments/ledger/values.yaml': values }));
    expect(edits).toEqual([
      {
        path: 'apps/payments/ledger/values.yaml',
        content: lines(
          'postgresqlDatabases:',
          '  - name: ledger',
          '    mode: protected # keep',
        ),
      },
    ]);
  });

  it('deletes both files when the list becomes empty', async () => {
    const edits = await deleteDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'ledger',
    })(reader(REPO));
    expect(edits).toEqual([
      { path: 'apps/payments/ledger/values.yaml', content: null },
      { path: 'apps/payments/ledger/application.yaml', content: null },
    ]);
  });

  it('throws NotFoundError when the database is not there', async () => {
    await expect(
      deleteDatabaseEdit({ ...base, folder: 'ledger', name: 'nope' })(
        reader(REPO),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      deleteDatabaseEdit({ ...base, folder: 'nope', name: 'nope' })(
        reader(REPO),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('findDefinedDatabases', () => {
  it('finds databases and reports problems without failing', () => {
    const result = findDefinedDatabases(
      [
        { path: 'apps/payments/ledger/values.yaml', content: LEDGER_VALUES },
        {
          path: 'apps/payments/orders/values.yaml',
          content: lines(
            'postgresqlDatabases:',
            '  - name: orders',
            '  - name: Bad_Name',
          ),
        },
        {
          path: 'apps/checkout/cart/values.yaml',
          content: 'postgresqlDatabases: {}\n',
        },
        { path: 'apps/checkout/values.yaml', content: LEDGER_VALUES },
        { path: 'apps/checkout/a/b/values.yaml', content: LEDGER_VALUES },
        { path: 'other/payments/x/values.yaml', content: LEDGER_VALUES },
        { path: 'apps/Bad_NS/x/values.yaml', content: LEDGER_VALUES },
        {
          path: 'apps/payments/zz/values.yaml',
          content: lines('postgresqlDatabases:', '  - name: ledger'),
        },
      ],
      'apps',
    );
    expect(result.databases).toEqual([
      {
        namespace: 'payments',
        folder: 'ledger',
        name: 'ledger',
        mode: 'protected',
        path: 'apps/payments/ledger/values.yaml',
      },
      {
        namespace: 'payments',
        folder: 'orders',
        name: 'orders',
        mode: 'standard',
        path: 'apps/payments/orders/values.yaml',
      },
    ]);
    expect(result.problems).toEqual([
      {
        path: 'apps/Bad_NS/x/values.yaml',
        message: expect.stringContaining('not a valid namespace'),
      },
      {
        path: 'apps/checkout/cart/values.yaml',
        message: expect.stringContaining('must be a list'),
      },
      {
        path: 'apps/payments/orders/values.yaml',
        message: expect.stringContaining('Skipped database "Bad_Name"'),
      },
      {
        path: 'apps/payments/zz/values.yaml',
        message: expect.stringContaining(
          'payments/ledger is already defined in apps/payments/ledger/values.yaml',
        ),
      },
    ]);
  });

  it('reads the repository root as base path', () => {
    expect(
      findDefinedDatabases(
        [{ path: 'payments/ledger/values.yaml', content: LEDGER_VALUES }],
        '',
      ).databases.map(d => `${d.namespace}/${d.name}`),
    ).toEqual(['payments/ledger']);
  });
});

describe('every edit writes valid YAML', () => {
  it('round-trips the outputs', async () => {
    const edits = await createDatabaseEdit({
      ...base,
      folder: 'ledger',
      name: 'second',
      chartVersion: '1.0.0',
    })(reader(REPO));
    for (const edit of edits) {
      expect(parseDocument(edit.content!).errors).toEqual([]);
    }
  });
});
