import { Octokit } from '@octokit/rest';
import { createDatabaseEdit } from '../../definitions';
import { FakeGitHub } from '../../testUtils';
import { AppsRepoChange } from '../types';
import { GitHubAppsRepository } from './GitHubAppsRepository';
import { GitHubBranchClaimOptions } from './GitHubBranchClaims';

const OWNER = 'acme';
const REPO = 'apps';
const BRANCH = 'dbaas/create/payments/ledger';
const VALUES = 'payments/ledger/values.yaml';

// One branch per database: two requests for the same database (a double
// click, two people, a retry) against the stateful fake GitHub.
describe('GitHubAppsRepository, one pull request per database', () => {
  let fake: FakeGitHub;
  let clock: number;

  function makeRepo(claims: GitHubBranchClaimOptions = {}) {
    return new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'token' }),
      owner: OWNER,
      repo: REPO,
      retry: { baseDelayMs: 1, sleep: async () => {} },
      claims: { waitForPullMs: 2000, now: () => clock, ...claims },
    });
  }

  function change(taskId: string, extra: Partial<AppsRepoChange> = {}) {
    return {
      branchName: BRANCH,
      taskId,
      title: 'Add PostgreSQL database payments-ledger',
      body: `Requested by ${taskId}`,
      commitMessage: `Add PostgreSQL database payments-ledger (${taskId})`,
      edit: createDatabaseEdit({
        basePath: '',
        namespace: 'payments',
        folder: 'ledger',
        name: 'ledger',
        chartVersion: '1.0.1',
      }),
      ...extra,
    } satisfies AppsRepoChange;
  }

  /** Settled proposals: the pull requests opened and the refusals. */
  const apart = <T>(outcomes: PromiseSettledResult<T>[]) => ({
    opened: outcomes.flatMap(o => (o.status === 'fulfilled' ? [o.value] : [])),
    refused: outcomes.flatMap(o => (o.status === 'rejected' ? [o.reason] : [])),
  });
  const calls = () => fake.requests.map(r => `${r.method} ${r.path}`);
  const pulls = (state: 'open' | 'all' = 'all') =>
    fake.listPulls(OWNER, REPO, { state });

  beforeEach(async () => {
    clock = Date.UTC(2030, 0, 1, 12);
    fake = await FakeGitHub.start({ now: () => new Date(clock) });
    fake.seedRepo(OWNER, REPO, {
      files: {
        'README.md': '# apps\n',
        'payments/billing/values.yaml': 'postgresqlDatabases:\n  - name: b\n',
      },
    });
  });

  afterEach(() => fake.stop());

  it('opens one pull request when two tasks ask at once; the other is refused naming it', async () => {
    const outcomes = await Promise.allSettled([
      makeRepo().proposeChange(change('task-a')),
      makeRepo().proposeChange(change('task-b')),
    ]);
    const { opened, refused } = apart(outcomes);
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const [pull] = pulls();
    expect(pulls()).toHaveLength(1);
    expect(opened[0].number).toBe(pull.number);
    expect(refused[0]).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Already requested in pull request #${pull.number} (${pull.html_url})`,
      ),
    });
    expect(fake.listBranches(OWNER, REPO)).toEqual([BRANCH, 'main']);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('gives a retried task its pull request back, and refuses another task while it is open', async () => {
    const first = await makeRepo().proposeChange(change('task-a'));
    expect(await makeRepo().proposeChange(change('task-a'))).toEqual(first);
    await expect(
      makeRepo().proposeChange(change('task-b')),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Already requested in pull request #${first.number} (${first.url})`,
      ),
    });
    expect(pulls()).toHaveLength(1);
    expect(fake.branchSha(OWNER, REPO, BRANCH)).toBe(first.commitSha);
  });

  it('takes over the branch of a closed pull request with a fast forward, keeping its commits', async () => {
    const abandoned = await makeRepo().proposeChange(change('task-a'));
    fake.closePull(OWNER, REPO, abandoned.number);
    fake.commitToBranch(OWNER, REPO, 'main', { 'other/x/values.yaml': 'x' });
    const base = fake.branchSha(OWNER, REPO, 'main')!;

    const taken = await makeRepo().proposeChange(change('task-b'));

    expect(taken.number).not.toBe(abandoned.number);
    expect(pulls('open').map(p => p.number)).toEqual([taken.number]);
    const head = fake.getCommit(OWNER, REPO, taken.commitSha);
    expect(head.parents).toEqual([abandoned.commitSha, base]);
    expect(head.message).toContain('Dbaas-Task: task-b');
    expect(fake.readFile(OWNER, REPO, BRANCH, VALUES)).toContain(
      'name: ledger',
    );
    expect(fake.forceUpdates).toEqual([]);
    // GitHub merges only the change: the branch holds main plus the folder.
    fake.mergePull(OWNER, REPO, taken.number);
    expect(fake.readFile(OWNER, REPO, 'main', 'other/x/values.yaml')).toBe('x');
  });

  it('takes over the branch of a merged pull request (a finished earlier change)', async () => {
    const update = (taskId: string, mode: 'protected' | 'standard') => ({
      ...change(taskId),
      branchName: 'dbaas/update/payments/billing',
      edit: async (read: (p: string) => Promise<string | undefined>) => [
        {
          path: 'payments/billing/values.yaml',
          content: (await read('payments/billing/values.yaml'))!.replace(
            /(\n {4}mode: \w+)?\n$/,
            `\n    mode: ${mode}\n`,
          ),
        },
      ],
    });
    const first = await makeRepo().proposeChange(update('task-a', 'protected'));
    fake.mergePull(OWNER, REPO, first.number);
    const second = await makeRepo().proposeChange(update('task-b', 'standard'));
    expect(second.number).not.toBe(first.number);
    expect(
      fake.readFile(
        OWNER,
        REPO,
        'dbaas/update/payments/billing',
        'payments/billing/values.yaml',
      ),
    ).toContain('mode: standard');
    expect(fake.getCommit(OWNER, REPO, second.commitSha).parents).toEqual([
      fake.branchSha(OWNER, REPO, 'main'),
    ]);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('lets one of two takers of an abandoned branch win; the other is refused naming its pull request', async () => {
    const abandoned = await makeRepo().proposeChange(change('task-a'));
    fake.closePull(OWNER, REPO, abandoned.number);

    const outcomes = await Promise.allSettled([
      makeRepo().proposeChange(change('task-b')),
      makeRepo().proposeChange(change('task-c')),
    ]);

    const { opened, refused } = apart(outcomes);
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const open = pulls('open');
    expect(open.map(p => p.number)).toEqual([opened[0].number]);
    expect(refused[0]).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(`#${open[0].number}`),
    });
    // The winner's commit sits on the abandoned head: nothing was lost.
    expect(
      fake.getCommit(OWNER, REPO, fake.branchSha(OWNER, REPO, BRANCH)!)
        .parents[0],
    ).toBe(abandoned.commitSha);
    expect(pulls()).toHaveLength(2);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('refuses while another task is between its branch and its pull request, and takes the branch over once that is old', async () => {
    // Another task made the branch and stopped before its pull request.
    const stuck = makeRepo();
    fake.failNext({
      method: 'POST',
      pathPattern: /\/pulls$/,
      status: 422,
      times: 1,
    });
    await expect(stuck.proposeChange(change('task-a'))).rejects.toThrow();
    const stuckHead = fake.branchSha(OWNER, REPO, BRANCH)!;
    expect(pulls()).toEqual([]);

    const waits: number[] = [];
    const error = await makeRepo({
      sleep: async ms => {
        waits.push(ms);
      },
    })
      .proposeChange(change('task-b'))
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Already being requested on branch ${BRANCH} of acme/apps (by scaffolder task task-a)`,
      ),
    });
    expect(waits.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(fake.branchSha(OWNER, REPO, BRANCH)).toBe(stuckHead);

    clock += 11 * 60 * 1000;
    const taken = await makeRepo().proposeChange(change('task-b'));
    expect(pulls('open').map(p => p.number)).toEqual([taken.number]);
    expect(fake.getCommit(OWNER, REPO, taken.commitSha).message).toContain(
      'Dbaas-Task: task-b',
    );
  });

  it('does not return another task’s merged pull request as its own', async () => {
    const first = await makeRepo().proposeChange(change('task-a'));
    fake.mergePull(OWNER, REPO, first.number);
    await expect(
      makeRepo().proposeChange(change('task-b')),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/ledger.*already/),
    });
    // The same task retried after the merge gets its pull request.
    expect(await makeRepo().proposeChange(change('task-a'))).toMatchObject({
      number: first.number,
      merged: true,
    });
  });

  describe('with the base head the caller last saw', () => {
    it('opens the pull request in 5 calls when the base has not moved', async () => {
      const baseSha = fake.branchSha(OWNER, REPO, 'main')!;
      fake.clearRequests();
      const result = await makeRepo().proposeChange(
        change('task-a', { baseSha }),
      );
      expect(calls()).toEqual([
        `GET /repos/acme/apps/git/trees/${baseSha}`,
        'POST /repos/acme/apps/git/trees',
        'POST /repos/acme/apps/git/commits',
        'POST /repos/acme/apps/git/refs',
        'POST /repos/acme/apps/pulls',
      ]);
      expect(fake.getCommit(OWNER, REPO, result.commitSha).parents).toEqual([
        baseSha,
      ]);
      expect(fake.readFile(OWNER, REPO, BRANCH, VALUES)).toContain(
        'name: ledger',
      );
    });

    it('costs one compare more when the base moved elsewhere, and rebuilds when it moved in its folder', async () => {
      const seen = fake.branchSha(OWNER, REPO, 'main')!;
      fake.commitToBranch(OWNER, REPO, 'main', { 'other/x/values.yaml': 'x' });
      fake.clearRequests();
      const elsewhere = await makeRepo().proposeChange(
        change('task-a', { baseSha: seen }),
      );
      expect(fake.requests).toHaveLength(6);
      expect(calls()[5]).toMatch(/^GET \/repos\/acme\/apps\/compare\//);
      expect(fake.getCommit(OWNER, REPO, elsewhere.commitSha).parents).toEqual([
        seen,
      ]);

      // Someone added a database to the folder since the caller looked.
      const otherBranch = 'dbaas/create/payments/audit';
      const stale = fake.branchSha(OWNER, REPO, 'main')!;
      fake.commitToBranch(OWNER, REPO, 'main', {
        'payments/billing/values.yaml':
          'postgresqlDatabases:\n  - name: b\n  - name: c\n',
      });
      const inFolder = await makeRepo().proposeChange({
        ...change('task-b', { baseSha: stale }),
        branchName: otherBranch,
        edit: createDatabaseEdit({
          basePath: '',
          namespace: 'payments',
          folder: 'billing',
          name: 'audit',
          chartVersion: '1.0.1',
        }),
      });
      const values = fake.readFile(
        OWNER,
        REPO,
        otherBranch,
        'payments/billing/values.yaml',
      )!;
      for (const name of ['b', 'c', 'audit']) {
        expect(values).toContain(`name: ${name}\n`);
      }
      expect(fake.getCommit(OWNER, REPO, inFolder.commitSha).parents).toEqual([
        expect.any(String),
        fake.branchSha(OWNER, REPO, 'main'),
      ]);
      expect(fake.forceUpdates).toEqual([]);
    });

    it('is the head the last definition listing read', async () => {
      const repo = makeRepo();
      expect(repo.listedBaseSha).toBeUndefined();
      await repo.listDefinitionFiles();
      const seen = fake.branchSha(OWNER, REPO, 'main');
      expect(repo.listedBaseSha).toBe(seen);
      fake.commitToBranch(OWNER, REPO, 'main', { 'x/y/values.yaml': 'x' });
      expect(repo.listedBaseSha).toBe(seen);
      await repo.listDefinitionFiles();
      expect(repo.listedBaseSha).toBe(fake.branchSha(OWNER, REPO, 'main'));
    });

    it('starts from the head of the base when the commit is unknown', async () => {
      const result = await makeRepo().proposeChange(
        change('task-a', { baseSha: 'f'.repeat(40) }),
      );
      expect(fake.getCommit(OWNER, REPO, result.commitSha).parents).toEqual([
        fake.branchSha(OWNER, REPO, 'main'),
      ]);
    });
  });
});
