import { execFileSync } from 'node:child_process';
import { ConfigReader } from '@backstage/config';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  createDatabaseEdit,
  deleteDatabaseEdit,
  parseDatabaseDefinitions,
  updateDatabaseEdit,
} from '../../definitions';
import type { AppsRepoChange, ReadFile } from '../types';
import { LocalGitAppsRepository } from './LocalGitAppsRepository';
import { initLocalAppsRepository } from './initLocalAppsRepository';

const lines = (...content: string[]) => `${content.join('\n')}\n`;

const SEED_VALUES = lines(
  '# payments databases',
  'postgresqlDatabases:',
  '  - name: ledger',
  '    mode: protected   # keep this comment',
);
const SEED_APP = lines(
  'apiVersion: v2',
  'name: ledger',
  'description: ledger',
  'version: 0.1.0',
  'helm:',
  '  chart: helm/idp-postgresql',
  '  chartVersion: "1.0.1"',
);
const SEED = [
  { path: 'payments/ledger/values.yaml', content: SEED_VALUES },
  { path: 'payments/ledger/application.yaml', content: SEED_APP },
  { path: 'README.md', content: '# apps\n' },
];

const temporary: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dbaas-local-repo-'));
  temporary.push(dir);
  return dir;
}

async function makeRepo(
  files = SEED,
  options: { bare?: boolean } = {},
): Promise<string> {
  const dir = await tempDir();
  if (options.bare) {
    git(dir, 'init', '--bare', '--quiet', '--initial-branch=main');
  }
  await initLocalAppsRepository({ path: dir, files });
  return dir;
}

afterAll(async () => {
  await Promise.all(
    temporary.map(dir => rm(dir, { recursive: true, force: true })),
  );
});

/** Runs git like a person would. */
function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CEILING_DIRECTORIES: dirname(dir),
      GIT_AUTHOR_NAME: 'Someone Else',
      GIT_AUTHOR_EMAIL: 'someone@example.com',
      GIT_COMMITTER_NAME: 'Someone Else',
      GIT_COMMITTER_EMAIL: 'someone@example.com',
    },
  }).trim();
}

const show = (dir: string, rev: string, path: string) =>
  execFileSync('git', ['show', `${rev}:${path}`], {
    cwd: dir,
    encoding: 'utf8',
  });

const refs = (dir: string) =>
  git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');

function createChange(name: string, folder = 'ledger'): AppsRepoChange {
  return {
    branchName: `dbaas/create/payments/${name}`,
    title: `Create database payments/${name}`,
    body: `Creates payments-${name}`,
    commitMessage: `Create database payments/${name}`,
    edit: createDatabaseEdit({
      basePath: '',
      namespace: 'payments',
      folder,
      name,
      chartVersion: '1.0.1',
    }),
  };
}

function namesOnMain(dir: string, folder = 'ledger'): string[] {
  return parseDatabaseDefinitions(
    show(dir, 'main', `payments/${folder}/values.yaml`),
    'values.yaml',
  ).map(d => d.name);
}

describe('LocalGitAppsRepository', () => {
  it('commits a new folder on the branch and merges it into main', async () => {
    const dir = await makeRepo();
    const seedHead = git(dir, 'rev-parse', 'main');
    const repo = new LocalGitAppsRepository({ path: dir });

    const result = await repo.proposeChange(createChange('orders', 'orders'));

    const head = git(dir, 'rev-parse', 'main');
    expect(result).toEqual({
      url: `file://${dir}#${head}`,
      number: 2,
      branchName: 'dbaas/create/payments/orders',
      merged: true,
      commitSha: head,
    });
    expect(git(dir, 'rev-parse', 'dbaas/create/payments/orders')).toBe(head);
    expect(git(dir, 'rev-parse', `${head}^`)).toBe(seedHead);
    expect(git(dir, 'log', '-1', '--format=%an <%ae>|%s', head)).toBe(
      'dbaas <dbaas@localhost>|Create database payments/orders',
    );
    const expectedValues = lines(
      '# PostgreSQL databases of this folder, managed by the dbaas self-service.',
      '# Each entry creates the database <namespace>-<name> with the roles',
      '# <namespace>-<name>-read, -write and -admin and their secrets.',
      '# mode: standard | protected (protected = deletion protection: removing',
      '# the entry leaves the data in the cluster).',
      'postgresqlDatabases:',
      '  - name: orders',
      '    mode: standard',
    );
    const expectedApp = lines(
      'apiVersion: v2',
      'name: orders',
      'description: orders',
      'version: 0.1.0',
      'helm:',
      '  chart: helm/idp-postgresql',
      '  chartVersion: "1.0.1"',
    );
    for (const rev of ['main', 'dbaas/create/payments/orders']) {
      expect(show(dir, rev, 'payments/orders/values.yaml')).toBe(
        expectedValues,
      );
      expect(show(dir, rev, 'payments/orders/application.yaml')).toBe(
        expectedApp,
      );
      expect(show(dir, rev, 'payments/ledger/values.yaml')).toBe(SEED_VALUES);
    }
    // main is checked out and was clean: the work tree follows.
    expect(
      await readFile(join(dir, 'payments/orders/values.yaml'), 'utf8'),
    ).toBe(expectedValues);
    expect(git(dir, 'status', '--porcelain')).toBe('');

    expect(await repo.readFile('payments/orders/values.yaml')).toBe(
      expectedValues,
    );
    expect(await repo.readFile('payments/nope/values.yaml')).toBeUndefined();
    expect(await repo.listOpenChanges()).toEqual([]);
  });

  it('adds to an existing values.yaml keeping its comments', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    await repo.proposeChange(createChange('audit'));
    expect(show(dir, 'main', 'payments/ledger/values.yaml')).toBe(
      `${SEED_VALUES}  - name: audit\n    mode: standard\n`,
    );
    expect(show(dir, 'main', 'payments/ledger/application.yaml')).toBe(
      SEED_APP,
    );
  });

  it('returns the same result for a retried change, with one commit', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const first = await repo.proposeChange(createChange('audit'));
    const commits = git(dir, 'rev-list', '--count', 'main');

    const again = await repo.proposeChange(createChange('audit'));
    const fromAnotherInstance = await new LocalGitAppsRepository({
      path: dir,
    }).proposeChange(createChange('audit'));

    expect(again).toEqual(first);
    expect(fromAnotherInstance).toEqual(first);
    expect(git(dir, 'rev-list', '--count', 'main')).toBe(commits);
  });

  it('keeps both entries when two changes race in one process', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const results = await Promise.all([
      repo.proposeChange(createChange('alpha')),
      repo.proposeChange(createChange('beta')),
    ]);
    expect(namesOnMain(dir).sort()).toEqual(['alpha', 'beta', 'ledger']);
    expect(new Set(results.map(r => r.number)).size).toBe(2);
    expect(git(dir, 'rev-list', '--count', 'main')).toBe('3');
  });

  it('keeps every entry when separate instances race on one repository', async () => {
    const dir = await makeRepo();
    const a = new LocalGitAppsRepository({ path: dir });
    const b = new LocalGitAppsRepository({ path: dir });
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
    const results = await Promise.all(
      names.map((name, i) => (i % 2 ? a : b).proposeChange(createChange(name))),
    );
    expect(namesOnMain(dir).sort()).toEqual([...names, 'ledger'].sort());
    // A linear history: one commit per change on top of the seed.
    expect(git(dir, 'rev-list', '--count', 'main')).toBe('7');
    expect(git(dir, 'rev-list', '--merges', 'main')).toBe('');
    for (const result of results) {
      git(dir, 'merge-base', '--is-ancestor', result.commitSha, 'main');
      expect(git(dir, 'rev-parse', result.branchName)).toBe(result.commitSha);
    }
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('rebuilds on a base that moved while the change was built', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const inner = createChange('mine');
    let calls = 0;
    let theirCommit = '';
    const change: AppsRepoChange = {
      ...inner,
      edit: async (read: ReadFile) => {
        calls += 1;
        const edits = await inner.edit(read);
        if (calls === 1) {
          // A person commits to main in the work tree meanwhile.
          await writeFile(
            join(dir, 'payments/ledger/values.yaml'),
            `${SEED_VALUES}  - name: theirs\n    mode: standard\n`,
          );
          await writeFile(join(dir, 'NOTES.md'), 'their note\n');
          git(dir, 'add', '-A');
          git(dir, 'commit', '--quiet', '-m', 'Their change');
          theirCommit = git(dir, 'rev-parse', 'HEAD');
        }
        return edits;
      },
    };

    const result = await repo.proposeChange(change);

    expect(calls).toBe(2);
    expect(namesOnMain(dir)).toEqual(['ledger', 'theirs', 'mine']);
    expect(show(dir, 'main', 'NOTES.md')).toBe('their note\n');
    git(dir, 'merge-base', '--is-ancestor', theirCommit, 'main');
    expect(git(dir, 'rev-parse', `${result.commitSha}^`)).toBe(theirCommit);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('rebuilds when another writer merges during the edit', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const other = new LocalGitAppsRepository({ path: dir });
    const inner = createChange('mine');
    let calls = 0;
    const result = await repo.proposeChange({
      ...inner,
      edit: async read => {
        calls += 1;
        if (calls === 1) {
          await other.proposeChange(createChange('theirs'));
        }
        return inner.edit(read);
      },
    });
    expect(calls).toBe(2);
    expect(namesOnMain(dir)).toEqual(['ledger', 'theirs', 'mine']);
    git(
      dir,
      'merge-base',
      '--is-ancestor',
      git(dir, 'rev-parse', 'dbaas/create/payments/theirs'),
      result.commitSha,
    );
  });

  it('gives up with a ConflictError when main never stops moving', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir, maxAttempts: 2 });
    const other = new LocalGitAppsRepository({ path: dir });
    const inner = createChange('mine');
    let calls = 0;
    await expect(
      repo.proposeChange({
        ...inner,
        edit: async read => {
          calls += 1;
          await other.proposeChange(createChange(`theirs${calls}`));
          return inner.edit(read);
        },
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(namesOnMain(dir)).toEqual(['ledger', 'theirs1', 'theirs2']);
    expect(git(dir, 'branch', '--list', 'dbaas/create/payments/mine')).toBe('');
  });

  it('refuses a malformed values.yaml and leaves the repository untouched', async () => {
    const dir = await makeRepo([
      {
        path: 'payments/ledger/values.yaml',
        content: 'postgresqlDatabases: {}\n',
      },
    ]);
    const before = refs(dir);
    const repo = new LocalGitAppsRepository({ path: dir });
    await expect(
      repo.proposeChange(createChange('audit')),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('payments/ledger/values.yaml'),
    });
    await expect(
      repo.previewChange(createChange('audit')),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(refs(dir)).toBe(before);
  });

  it('leaves a dirty work tree and index alone', async () => {
    const dir = await makeRepo();
    await writeFile(join(dir, 'README.md'), '# apps, staged edit\n');
    git(dir, 'add', 'README.md');
    await writeFile(
      join(dir, 'payments/ledger/values.yaml'),
      `${SEED_VALUES}# unsaved thought\n`,
    );
    await writeFile(join(dir, 'scratch.txt'), 'untracked\n');
    const index = git(dir, 'ls-files', '--stage');
    const status = git(dir, 'status', '--porcelain');
    const diff = git(dir, 'diff');

    const repo = new LocalGitAppsRepository({ path: dir });
    const result = await repo.proposeChange(createChange('audit'));

    expect(git(dir, 'rev-parse', 'main')).toBe(result.commitSha);
    expect(namesOnMain(dir)).toEqual(['ledger', 'audit']);
    expect(git(dir, 'ls-files', '--stage')).toBe(index);
    expect(git(dir, 'diff')).toBe(diff);
    expect(
      await readFile(join(dir, 'payments/ledger/values.yaml'), 'utf8'),
    ).toBe(`${SEED_VALUES}# unsaved thought\n`);
    expect(await readFile(join(dir, 'scratch.txt'), 'utf8')).toBe(
      'untracked\n',
    );
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe(
      '# apps, staged edit\n',
    );
    expect(status).not.toBe('');
  });

  it('leaves a work tree on another branch alone', async () => {
    const dir = await makeRepo();
    git(dir, 'checkout', '--quiet', '-b', 'someone/work');
    const repo = new LocalGitAppsRepository({ path: dir });
    await repo.proposeChange(createChange('audit'));
    expect(git(dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/someone/work');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(namesOnMain(dir)).toEqual(['ledger', 'audit']);
    expect(
      await readFile(join(dir, 'payments/ledger/values.yaml'), 'utf8'),
    ).toBe(SEED_VALUES);
  });

  it('updates and deletes, deleting the folder with its last database', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const location = {
      basePath: '',
      namespace: 'payments',
      folder: 'ledger',
      name: 'ledger',
    };
    await repo.proposeChange({
      branchName: 'dbaas/update/payments/ledger/1',
      title: 'Update',
      body: '',
      commitMessage: 'Update payments/ledger',
      edit: updateDatabaseEdit({
        ...location,
        mode: 'standard',
        chartVersion: '1.2.0',
      }),
    });
    expect(show(dir, 'main', 'payments/ledger/values.yaml')).toBe(
      SEED_VALUES.replace('mode: protected', 'mode: standard'),
    );
    expect(show(dir, 'main', 'payments/ledger/application.yaml')).toBe(
      SEED_APP.replace('"1.0.1"', '"1.2.0"'),
    );

    const deletion: AppsRepoChange = {
      branchName: 'dbaas/delete/payments/ledger',
      title: 'Delete',
      body: '',
      commitMessage: 'Delete payments/ledger',
      edit: deleteDatabaseEdit(location),
    };
    const deleted = await repo.proposeChange(deletion);
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'main')).toBe('README.md');
    expect(existsSync(join(dir, 'payments/ledger'))).toBe(false);
    // A retry finds the database gone and the branch merged: same result.
    expect(await repo.proposeChange(deletion)).toEqual(deleted);
  });

  it('records a change that is already in place without a commit', async () => {
    const dir = await makeRepo();
    const head = git(dir, 'rev-parse', 'main');
    const repo = new LocalGitAppsRepository({ path: dir });
    const result = await repo.proposeChange({
      branchName: 'dbaas/update/payments/ledger/noop',
      title: 'Update',
      body: '',
      commitMessage: 'Update',
      edit: updateDatabaseEdit({
        basePath: '',
        namespace: 'payments',
        folder: 'ledger',
        name: 'ledger',
        mode: 'protected',
      }),
    });
    expect(result).toMatchObject({ commitSha: head, merged: true, number: 1 });
    expect(git(dir, 'rev-parse', 'main')).toBe(head);
    expect(git(dir, 'rev-parse', 'dbaas/update/payments/ledger/noop')).toBe(
      head,
    );
  });

  it('proposes again under a merged branch name when the request is new again', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const first = await repo.proposeChange(createChange('audit'));
    await repo.proposeChange({
      branchName: 'dbaas/delete/payments/audit',
      title: 'Delete',
      body: '',
      commitMessage: 'Delete',
      edit: deleteDatabaseEdit({
        basePath: '',
        namespace: 'payments',
        folder: 'ledger',
        name: 'audit',
      }),
    });
    const second = await repo.proposeChange(createChange('audit'));
    expect(second.commitSha).not.toBe(first.commitSha);
    expect(second.number).toBeGreaterThan(first.number);
    expect(namesOnMain(dir)).toEqual(['ledger', 'audit']);
  });

  it('never overwrites a branch it did not merge', async () => {
    const dir = await makeRepo();
    git(dir, 'branch', 'dbaas/create/payments/audit', 'main');
    git(dir, 'checkout', '--quiet', 'dbaas/create/payments/audit');
    await writeFile(join(dir, 'theirs.txt'), 'x\n');
    git(dir, 'add', 'theirs.txt');
    git(dir, 'commit', '--quiet', '-m', 'theirs');
    git(dir, 'checkout', '--quiet', 'main');
    const before = refs(dir);

    const repo = new LocalGitAppsRepository({ path: dir });
    await expect(
      repo.proposeChange(createChange('audit')),
    ).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(refs(dir)).toBe(before);
  });

  it('previews a change without writing anything', async () => {
    const dir = await makeRepo();
    const before = refs(dir);
    const repo = new LocalGitAppsRepository({ path: dir });
    const preview = await repo.previewChange(createChange('audit'));
    expect(preview.baseSha).toBe(git(dir, 'rev-parse', 'main'));
    expect(preview.edits.map(e => e.path)).toEqual([
      'payments/ledger/values.yaml',
    ]);
    expect(preview.diff).toBe(
      lines(
        'diff --git a/payments/ledger/values.yaml b/payments/ledger/values.yaml',
        '--- a/payments/ledger/values.yaml',
        '+++ b/payments/ledger/values.yaml',
        '@@ -2,3 +2,5 @@',
        ' postgresqlDatabases:',
        '   - name: ledger',
        '     mode: protected   # keep this comment',
        '+  - name: audit',
        '+    mode: standard',
      ),
    );
    expect(refs(dir)).toBe(before);
  });

  it('lists the definition files under the base path in one pass', async () => {
    const dir = await makeRepo([
      { path: 'apps/payments/ledger/values.yaml', content: SEED_VALUES },
      { path: 'apps/payments/ledger/application.yaml', content: SEED_APP },
      {
        path: 'apps/payments/orders/values.yaml',
        content: 'postgresqlDatabases: []\n',
      },
      { path: 'apps/payments/values.yaml', content: 'not: a definition\n' },
      { path: 'apps/payments/a/b/values.yaml', content: 'too: deep\n' },
      { path: 'other/payments/x/values.yaml', content: 'outside: base\n' },
    ]);
    const repo = new LocalGitAppsRepository({ path: dir, basePath: '/apps/' });
    expect(await repo.listDefinitionFiles()).toEqual([
      { path: 'apps/payments/ledger/values.yaml', content: SEED_VALUES },
      {
        path: 'apps/payments/orders/values.yaml',
        content: 'postgresqlDatabases: []\n',
      },
    ]);
    const atRoot = new LocalGitAppsRepository({ path: dir });
    expect((await atRoot.listDefinitionFiles()).map(f => f.path)).toEqual([
      'apps/payments/values.yaml',
    ]);
  });

  it('works on a bare repository', async () => {
    const dir = await makeRepo(SEED, { bare: true });
    const repo = new LocalGitAppsRepository({ path: dir });
    await repo.proposeChange(createChange('audit'));
    expect(namesOnMain(dir)).toEqual(['ledger', 'audit']);
  });

  it('uses the configured author and base branch', async () => {
    const dir = await tempDir();
    await initLocalAppsRepository({
      path: dir,
      baseBranch: 'trunk',
      files: SEED,
    });
    const repo = new LocalGitAppsRepository({
      path: dir,
      baseBranch: 'trunk',
      author: { name: 'Portal', email: 'portal@example.com' },
    });
    const result = await repo.proposeChange(createChange('audit'));
    expect(git(dir, 'log', '-1', '--format=%an <%ae> %cn', 'trunk')).toBe(
      'Portal <portal@example.com> Portal',
    );
    expect(git(dir, 'rev-parse', 'trunk')).toBe(result.commitSha);
  });

  it('reads dbaas.gitops from config', async () => {
    const repo = LocalGitAppsRepository.fromConfig(
      new ConfigReader({
        dbaas: {
          gitops: {
            provider: 'local',
            baseBranch: 'trunk',
            basePath: 'apps/',
            local: { path: '/srv/apps' },
          },
        },
      }),
    );
    expect(repo.path).toBe('/srv/apps');
    expect(repo.baseBranch).toBe('trunk');
    expect(repo.basePath).toBe('apps');
  });

  it('initializes a repository once', async () => {
    const dir = await makeRepo();
    const head = git(dir, 'rev-parse', 'main');
    expect(await initLocalAppsRepository({ path: dir, files: [] })).toEqual({
      created: false,
    });
    expect(git(dir, 'rev-parse', 'main')).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    await expect(
      initLocalAppsRepository({
        path: await tempDir(),
        files: [{ path: '../x', content: '' }],
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  describe('errors', () => {
    it('names a missing path', async () => {
      const dir = join(await tempDir(), 'missing');
      const repo = new LocalGitAppsRepository({ path: dir });
      await expect(repo.readFile('a')).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining(dir),
      });
    });

    it('names a directory that is not a repository', async () => {
      const dir = await tempDir();
      await mkdir(join(dir, 'sub'));
      const repo = new LocalGitAppsRepository({ path: join(dir, 'sub') });
      await expect(repo.listDefinitionFiles()).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('is not a git repository'),
      });
    });

    it('does not wander into a parent repository', async () => {
      const dir = await makeRepo();
      await mkdir(join(dir, 'nested'));
      const repo = new LocalGitAppsRepository({ path: join(dir, 'nested') });
      await expect(repo.readFile('README.md')).rejects.toMatchObject({
        name: 'InputError',
      });
    });

    it('names a missing base branch', async () => {
      const dir = await makeRepo();
      const repo = new LocalGitAppsRepository({
        path: dir,
        baseBranch: 'prod',
      });
      await expect(repo.proposeChange(createChange('x'))).rejects.toMatchObject(
        {
          name: 'NotFoundError',
          message: expect.stringContaining('base branch prod does not exist'),
        },
      );
    });

    it.each([
      ['a branch without the prefix', { branchName: 'main' }],
      ['an invalid branch', { branchName: 'dbaas/a..b' }],
      [
        'a path outside the repository',
        {
          edit: async () => [{ path: '../escape.yaml', content: 'x' }],
        },
      ],
      [
        'a path into .git',
        { edit: async () => [{ path: '.git/config', content: 'x' }] },
      ],
    ])('refuses %s', async (_, override) => {
      const dir = await makeRepo();
      const before = refs(dir);
      const repo = new LocalGitAppsRepository({ path: dir });
      await expect(
        repo.proposeChange({ ...createChange('x'), ...override }),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(refs(dir)).toBe(before);
    });

    it.each([
      ['a file into a folder', 'README.md/values.yaml'],
      ['a folder into a file', 'payments/ledger'],
    ])('refuses to turn %s', async (_, path) => {
      const dir = await makeRepo();
      const before = refs(dir);
      const repo = new LocalGitAppsRepository({ path: dir });
      await expect(
        repo.proposeChange({
          ...createChange('x'),
          edit: async () => [{ path, content: 'x' }],
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(refs(dir)).toBe(before);
    });
  });
});
