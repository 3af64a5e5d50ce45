import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDatabaseEdit, updateDatabaseEdit } from '../../definitions';
import { suiteBranchName } from '../suiteBranches';
import type { AppsRepoChange } from '../types';
import { GitRunner } from './git';
import { LocalGitAppsRepository } from './LocalGitAppsRepository';
import { initLocalAppsRepository } from './initLocalAppsRepository';

const SEED = [
  {
    path: 'payments/ledger/values.yaml',
    content: 'postgresqlDatabases:\n  - name: ledger\n    mode: standard\n',
  },
  { path: 'README.md', content: '# apps\n' },
];
const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const MINUTE = 60_000;
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const temporary: string[] = [];

async function makeRepo(options: { bare?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dbaas-local-changes-'));
  temporary.push(dir);
  if (options.bare) {
    git(dir, {}, 'init', '--bare', '--quiet', '--initial-branch=main');
  }
  await initLocalAppsRepository({ path: dir, files: SEED });
  return dir;
}

afterAll(async () => {
  await Promise.all(
    temporary.map(dir => rm(dir, { recursive: true, force: true })),
  );
});

/** Runs git like a person would, at a given time. */
function git(dir: string, env: Record<string, string>, ...args: string[]) {
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
      ...env,
    },
  }).trim();
}

const dated = (author: number, committer = author) => ({
  GIT_AUTHOR_DATE: new Date(author).toISOString(),
  GIT_COMMITTER_DATE: new Date(committer).toISOString(),
});

/**
 * Runs `fn` with a repository whose commits carry the date `ms` (the git
 * runner takes its environment when it first runs).
 */
async function atTime<T>(
  ms: number,
  dir: string,
  fn: (repo: LocalGitAppsRepository) => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, dated(ms));
  try {
    return await fn(new LocalGitAppsRepository({ path: dir }));
  } finally {
    delete process.env.GIT_AUTHOR_DATE;
    delete process.env.GIT_COMMITTER_DATE;
    Object.assign(process.env, saved);
  }
}

function createChange(name: string): AppsRepoChange {
  return {
    branchName: suiteBranchName('create', 'payments', name),
    taskId: 'task1',
    title: `Create database payments/${name}`,
    body: `Creates payments-${name}`,
    commitMessage: `Create database payments/${name}`,
    edit: createDatabaseEdit({
      basePath: '',
      namespace: 'payments',
      folder: name,
      name,
      chartVersion: '1.0.1',
    }),
  };
}

describe('LocalGitAppsRepository.listChanges', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lists every proposed change as merged, like proposeChange returned it', async () => {
    const dir = await makeRepo();
    const orders = await atTime(START + MINUTE, dir, r =>
      r.proposeChange(createChange('orders')),
    );
    const audit = await atTime(START + 2 * MINUTE, dir, r =>
      r.proposeChange(createChange('audit')),
    );
    // A retry returns the same change; nothing new to list.
    const again = await atTime(START + 3 * MINUTE, dir, r =>
      r.proposeChange(createChange('orders')),
    );
    expect(again).toEqual(orders);
    // Someone else's branch is not the suite's.
    git(dir, {}, 'branch', 'feature/docs', 'main');

    const repo = new LocalGitAppsRepository({ path: dir });
    const changes = await repo.listChanges();

    expect(changes).toEqual([
      {
        number: audit.number,
        url: audit.url,
        branchName: 'dbaas/create/payments/audit',
        title: 'Create database payments/audit',
        state: 'merged',
        createdAt: at(START + 2 * MINUTE),
        updatedAt: at(START + 2 * MINUTE),
        mergedAt: at(START + 2 * MINUTE),
        closedAt: at(START + 2 * MINUTE),
      },
      {
        number: orders.number,
        url: orders.url,
        branchName: 'dbaas/create/payments/orders',
        title: 'Create database payments/orders',
        state: 'merged',
        createdAt: at(START + MINUTE),
        updatedAt: at(START + MINUTE),
        mergedAt: at(START + MINUTE),
        closedAt: at(START + MINUTE),
      },
    ]);
    expect([orders.number, audit.number]).toEqual([2, 3]);
  });

  it('numbers a change already in place like proposeChange did', async () => {
    const dir = await makeRepo();
    const repo = new LocalGitAppsRepository({ path: dir });
    const noop = await repo.proposeChange({
      branchName: suiteBranchName('update', 'payments', 'ledger'),
      title: 'Update',
      body: '',
      commitMessage: 'Update',
      edit: updateDatabaseEdit({
        basePath: '',
        namespace: 'payments',
        folder: 'ledger',
        name: 'ledger',
        mode: 'standard',
      }),
    });
    const created = await repo.proposeChange(createChange('orders'));
    const changes = await repo.listChanges();
    expect(
      changes.map(c => [c.branchName, c.number, c.url, c.state]).sort(),
    ).toEqual(
      [
        [noop.branchName, noop.number, noop.url, 'merged'],
        [created.branchName, created.number, created.url, 'merged'],
      ].sort(),
    );
  });

  it('lists a suite branch that is not in the base branch as open', async () => {
    const dir = await makeRepo({ bare: true });
    const repo = new LocalGitAppsRepository({ path: dir });
    await atTime(START + MINUTE, dir, r =>
      r.proposeChange(createChange('orders')),
    );
    // Someone pushes a suite-named branch without merging it.
    const branch = suiteBranchName('delete', 'payments', 'ledger');
    const tree = git(dir, {}, 'rev-parse', 'main^{tree}');
    const commit = git(
      dir,
      dated(START + 5 * MINUTE, START + 7 * MINUTE),
      'commit-tree',
      tree,
      '-p',
      'main',
      '-m',
      'Delete payments/ledger by hand',
    );
    git(dir, {}, 'update-ref', `refs/heads/${branch}`, commit);

    const changes = await repo.listChanges();
    expect(changes[0]).toEqual({
      number: Number(git(dir, {}, 'rev-list', '--count', commit)),
      url: `${changes[1].url.split('#')[0]}#${commit}`,
      branchName: branch,
      title: 'Delete payments/ledger by hand',
      state: 'open',
      createdAt: at(START + 5 * MINUTE),
      updatedAt: at(START + 7 * MINUTE),
    });
    expect(changes[1]).toMatchObject({
      branchName: 'dbaas/create/payments/orders',
      state: 'merged',
    });

    // Merged later by hand (fast forward): now a merged change.
    git(dir, {}, 'update-ref', 'refs/heads/main', commit);
    expect((await repo.listChanges())[0]).toMatchObject({
      branchName: branch,
      state: 'merged',
      mergedAt: at(START + 7 * MINUTE),
    });
  });

  it('filters by updatedSince, cheaply', async () => {
    const dir = await makeRepo();
    const first = await atTime(START + MINUTE, dir, r =>
      r.proposeChange(createChange('orders')),
    );
    const second = await atTime(START + 3 * MINUTE, dir, r =>
      r.proposeChange(createChange('audit')),
    );
    const repo = new LocalGitAppsRepository({ path: dir });
    await repo.readFile('README.md'); // opens the repository
    const exec = jest.spyOn(GitRunner.prototype, 'exec');
    const commands = () => exec.mock.calls.map(([args]) => args[0]);

    expect(
      await repo.listChanges({ updatedSince: new Date(START + 4 * MINUTE) }),
    ).toEqual([]);
    expect(commands()).toEqual(['for-each-ref']);

    exec.mockClear();
    const recent = await repo.listChanges({
      updatedSince: new Date(START + 2 * MINUTE),
    });
    expect(recent.map(c => c.number)).toEqual([second.number]);
    expect(commands()).toEqual([
      'for-each-ref',
      'rev-parse',
      'for-each-ref',
      'rev-list',
    ]);

    // Inclusive, and numbers already known are not computed again.
    exec.mockClear();
    const all = await repo.listChanges({
      updatedSince: new Date(START + MINUTE),
    });
    expect(all.map(c => c.number)).toEqual([second.number, first.number]);
    expect(commands()).toEqual([
      'for-each-ref',
      'rev-parse',
      'for-each-ref',
      'rev-list',
    ]);
    exec.mockClear();
    expect(await repo.listChanges()).toEqual(all);
    expect(commands()).toEqual(['for-each-ref', 'rev-parse', 'for-each-ref']);
  });

  it('is empty for a repository without suite branches', async () => {
    const dir = await makeRepo();
    expect(
      await new LocalGitAppsRepository({ path: dir }).listChanges(),
    ).toEqual([]);
  });
});
