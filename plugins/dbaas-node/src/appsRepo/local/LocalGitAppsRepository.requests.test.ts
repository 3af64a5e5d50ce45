import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseEdit, updateDatabaseEdit } from '../../definitions';
import type { AppsRepoChange, ProposedChange } from '../types';
import { LocalGitAppsRepository } from './LocalGitAppsRepository';
import { initLocalAppsRepository } from './initLocalAppsRepository';

const BRANCH = 'dbaas/create/payments/orders';

// One branch per database on the embedded repository, which merges at
// once: of two requests for the same database, one merges and the other is
// refused, whether they share an instance or not (replicas sharing the
// repository only share git's ref locks).
describe('LocalGitAppsRepository, one merge per database', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbaas-local-requests-'));
    await initLocalAppsRepository({
      path: dir,
      files: [
        {
          path: 'payments/ledger/values.yaml',
          content: 'postgresqlDatabases:\n  - name: ledger\n',
        },
      ],
    });
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

  function create(taskId: string): AppsRepoChange {
    return {
      branchName: BRANCH,
      taskId,
      title: 'Add payments-orders',
      body: `Requested by ${taskId}`,
      commitMessage: 'Add PostgreSQL database payments-orders',
      edit: createDatabaseEdit({
        basePath: '',
        namespace: 'payments',
        folder: 'orders',
        name: 'orders',
        chartVersion: '1.0.1',
      }),
    };
  }

  function settle(outcomes: PromiseSettledResult<ProposedChange>[]) {
    return {
      merged: outcomes.flatMap(o =>
        o.status === 'fulfilled' ? [o.value] : [],
      ),
      refused: outcomes.flatMap(o =>
        o.status === 'rejected' ? [o.reason] : [],
      ),
    };
  }

  it.each([
    ['one instance', () => new LocalGitAppsRepository({ path: dir })],
    ['two replicas', undefined],
  ])(
    'merges one of two tasks for the same database at once (%s); the other is refused naming the merge',
    async (_, shared) => {
      const one = shared?.();
      const repoFor = () => one ?? new LocalGitAppsRepository({ path: dir });
      const before = Number(git('rev-list', '--count', 'main'));

      const { merged, refused } = settle(
        await Promise.allSettled([
          repoFor().proposeChange(create('task-a')),
          repoFor().proposeChange(create('task-b')),
        ]),
      );

      expect(merged).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `is already defined in payments/orders/values.yaml (${BRANCH} was merged for another request as ${merged[0].url})`,
        ),
      });
      expect(Number(git('rev-list', '--count', 'main'))).toBe(before + 1);
      expect(git('rev-parse', BRANCH)).toBe(merged[0].commitSha);
      expect(git('log', '-1', '--format=%B', 'main')).toMatch(
        new RegExp(`Dbaas-Change: ${BRANCH}\nDbaas-Task: task-[ab]$`),
      );
    },
  );

  it('tells the base head its last definition listing read', async () => {
    const repo = new LocalGitAppsRepository({ path: dir });
    expect(repo.listedBaseSha).toBeUndefined();
    await repo.listDefinitionFiles();
    expect(repo.listedBaseSha).toBe(git('rev-parse', 'main'));
  });

  it('gives a retried task its merge back', async () => {
    const repo = new LocalGitAppsRepository({ path: dir });
    const first = await repo.proposeChange(create('task-a'));
    expect(
      await new LocalGitAppsRepository({ path: dir }).proposeChange(
        create('task-a'),
      ),
    ).toEqual(first);
  });

  it('lets a later request follow a finished one on the same branch', async () => {
    const repo = new LocalGitAppsRepository({ path: dir });
    const update = (taskId: string, mode: 'standard' | 'protected') => ({
      ...create(taskId),
      branchName: 'dbaas/update/payments/ledger',
      edit: updateDatabaseEdit({
        basePath: '',
        namespace: 'payments',
        folder: 'ledger',
        name: 'ledger',
        mode,
      }),
    });
    const first = await repo.proposeChange(update('task-a', 'protected'));
    const second = await repo.proposeChange(update('task-b', 'standard'));
    expect(second.commitSha).not.toBe(first.commitSha);
    expect(git('rev-parse', 'dbaas/update/payments/ledger')).toBe(
      second.commitSha,
    );
    expect(git('show', 'main:payments/ledger/values.yaml')).toContain(
      'mode: standard',
    );
    // The same again by a third request changes nothing: refused, named.
    await expect(
      repo.proposeChange(update('task-c', 'standard')),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Nothing to change: main of ${dir} already has what dbaas/update/payments/ledger asks`,
      ),
    });
  });
});
