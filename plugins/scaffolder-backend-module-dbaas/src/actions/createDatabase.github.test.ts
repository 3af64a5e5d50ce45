import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Octokit } from '@octokit/rest';
import { GitHubAppsRepository } from '@dbaas/plugin-dbaas-node';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import {
  createContext,
  createEnvironment,
  SETTINGS,
} from '../__testUtils__/actionTestEnvironment';
import { startDbaasBackend } from '../__testUtils__/startDbaasBackend';
import { DbaasBackendClient } from '../DbaasBackendClient';
import { createDbaasDatabaseCreateAction } from './createDatabase';

const ACTION_TOKEN = 'action-token';

function gitHubRepo(fake: FakeGitHub) {
  return new GitHubAppsRepository({
    octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: ACTION_TOKEN }),
    owner: 'acme',
    repo: 'apps',
    retry: { baseDelayMs: 1, sleep: async () => {} },
    claims: { waitForPullMs: 2000 },
  });
}

/** The action's own GitHub calls (the inventory's carry another token). */
function actionCalls(fake: FakeGitHub) {
  return fake.requests
    .filter(r => r.authorization?.endsWith(ACTION_TOKEN))
    .map(r => `${r.method} ${r.path}`);
}

function outcomes<T>(settled: PromiseSettledResult<T>[]) {
  return {
    done: settled.flatMap(o => (o.status === 'fulfilled' ? [o.value] : [])),
    failed: settled.flatMap(o => (o.status === 'rejected' ? [o.reason] : [])),
  };
}

// The same action on the production path: real Octokit against a stateful
// fake GitHub.
describe('dbaas:database:create on GitHub', () => {
  let fake: FakeGitHub;
  let repo: GitHubAppsRepository;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    fake.seedRepo('acme', 'apps', {
      files: {
        'payments/ledger/values.yaml':
          'postgresqlDatabases:\n  - name: ledger\n    mode: protected\n',
      },
    });
    repo = gitHubRepo(fake);
  });

  afterEach(() => fake.stop());

  function run(input: Record<string, unknown>, taskId = 'task-1') {
    const env = createEnvironment(repo, {
      settings: { ...SETTINGS, provider: 'github' },
    });
    const ctx = createContext(input as any, { taskId });
    return {
      ctx,
      done: createDbaasDatabaseCreateAction(env).handler(ctx as any),
    };
  }

  it('opens one pull request with the files, labels and reviewers for a protected database', async () => {
    const { ctx, done } = run({
      namespace: 'payments',
      name: 'payouts',
      mode: 'protected',
      labels: ['database'],
      reviewers: ['lee'],
    });
    await done;

    const [pull] = fake.listPulls('acme', 'apps', { state: 'open' });
    expect(ctx.outputs).toEqual({
      pullRequestUrl: pull.html_url,
      pullRequestNumber: pull.number,
      branchName: 'dbaas/create/payments/payouts',
      databaseName: 'payments-payouts',
      entityRef: 'resource:default/payments-payouts',
    });
    expect(pull.title).toBe('Add PostgreSQL database payments-payouts');
    expect(pull.body).toContain('### What happens after merge');
    expect(pull.body).toContain('usually within 1-3 minutes');
    expect(pull.body).toContain('### Deletion protection');
    expect(pull.labels.map(l => l.name).sort()).toEqual([
      'database',
      'protected-database',
    ]);
    expect(pull.requested_reviewers.map(r => r.login)).toEqual(['lee']);
    expect(pull.requested_teams.map(t => t.slug)).toEqual(['platform']);
    const files = fake.listFiles(
      'acme',
      'apps',
      'dbaas/create/payments/payouts',
    );
    expect(files['payments/payouts/values.yaml']).toContain(
      '  - name: payouts\n    mode: protected\n',
    );
    expect(files['payments/ledger/values.yaml']).toBe(
      'postgresqlDatabases:\n  - name: ledger\n    mode: protected\n',
    );
    expect(fake.forceUpdates).toEqual([]);
  });

  it('refuses the same database while its pull request is open, pointing at it', async () => {
    await run({ namespace: 'payments', name: 'payouts' }, 'task-1').done;
    const [pull] = fake.listPulls('acme', 'apps', { state: 'open' });
    await expect(
      run({ namespace: 'payments', name: 'payouts' }, 'task-2').done,
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: expect.stringContaining(
          `requested in pull request #${pull.number} (${pull.html_url})`,
        ),
      }),
    );
    expect(fake.listPulls('acme', 'apps', { state: 'all' })).toHaveLength(1);
  });

  it('opens one pull request when the same request runs twice at once; the other task is refused naming it', async () => {
    const input = { namespace: 'payments', name: 'payouts' };
    const a = run(input, 'task-a');
    const b = run(input, 'task-b');
    const { done, failed } = outcomes(
      await Promise.allSettled([a.done, b.done]),
    );
    expect(done).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const pulls = fake.listPulls('acme', 'apps', { state: 'all' });
    expect(pulls).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `#${pulls[0].number} (${pulls[0].html_url})`,
      ),
    });
    const winner = [a, b].find(r => r.ctx.outputs.pullRequestNumber)!;
    expect(winner.ctx.outputs.pullRequestUrl).toBe(pulls[0].html_url);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('gives a task retried after its pull request opened that pull request back', async () => {
    const store = new Map<string, unknown>();
    const env = createEnvironment(repo, {
      settings: { ...SETTINGS, provider: 'github' },
    });
    const input = { namespace: 'payments', name: 'payouts' };
    const first = createContext(input as any, { taskId: 'task-1', store });
    await createDbaasDatabaseCreateAction(env).handler(first as any);
    // The task state kept its checks but lost the pull request (the worker
    // died before saving it): the retry proposes again.
    for (const key of [...store.keys()]) {
      if (key.startsWith('dbaas.propose.')) store.delete(key);
    }
    const retry = createContext(input as any, { taskId: 'task-1', store });
    await createDbaasDatabaseCreateAction(env).handler(retry as any);
    expect(retry.outputs).toEqual(first.outputs);
    expect(fake.listPulls('acme', 'apps', { state: 'all' })).toHaveLength(1);
  });

  it('takes over the branch of a request whose pull request was closed', async () => {
    const input = { namespace: 'payments', name: 'payouts' };
    const first = run(input, 'task-1');
    await first.done;
    fake.closePull('acme', 'apps', Number(first.ctx.outputs.pullRequestNumber));
    const second = run(input, 'task-2');
    await second.done;
    expect(second.ctx.outputs.branchName).toBe(first.ctx.outputs.branchName);
    const open = fake.listPulls('acme', 'apps', { state: 'open' });
    expect(open.map(p => p.number)).toEqual([
      second.ctx.outputs.pullRequestNumber,
    ]);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('makes no GitHub call for a malformed name', async () => {
    fake.clearRequests();
    await expect(
      run({ namespace: 'payments', name: 'x\nadmin: true' }).done,
    ).rejects.toThrow(/may only contain/);
    expect(fake.requests).toEqual([]);
  });
});

// The whole action as it runs in a portal: the uniqueness check answered by
// the real dbaas backend from its inventory (which follows the same fake
// GitHub with its own token), then the change written. Counted are the
// action's own GitHub calls, whatever the number of definitions and open
// pull requests.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('dbaas:database:create on GitHub with the dbaas backend', () => {
  let fake: FakeGitHub;
  let backend: Awaited<ReturnType<typeof startDbaasBackend>>;

  afterEach(async () => {
    await backend?.stop();
    await fake?.stop();
  });

  async function start(definitions: number) {
    fake = await FakeGitHub.start();
    const files: Record<string, string> = {};
    for (let i = 0; i < definitions; i++) {
      files[
        `team${i}/db${i}/values.yaml`
      ] = `postgresqlDatabases:\n  - name: db${i}\n`;
    }
    files['payments/ledger/values.yaml'] =
      'postgresqlDatabases:\n  - name: ledger\n';
    fake.seedRepo('acme', 'apps', { files });
    backend = await startDbaasBackend(databases, fake);
  }

  /** Opens suite pull requests as other requests would have. */
  async function openPulls(count: number) {
    const octokit = new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'someone' });
    for (let i = 0; i < count; i++) {
      const branch = `dbaas/create/payments/other${i}`;
      fake.commitToBranch('acme', 'apps', branch, {
        [`payments/other${i}/values.yaml`]: `postgresqlDatabases:\n  - name: other${i}\n`,
      });
      await octokit.pulls.create({
        owner: 'acme',
        repo: 'apps',
        head: branch,
        base: 'main',
        title: `Add other${i}`,
      });
    }
  }

  async function create(name: string, taskId: string, client = backend.client) {
    const env = createEnvironment(gitHubRepo(fake), {
      settings: { ...SETTINGS, provider: 'github' },
      checkWithInventory: (_repo, ref) => client.checkRequest(ref),
    });
    const ctx = createContext({ namespace: 'payments', name } as any, {
      taskId,
      logger: mockServices.logger.mock(),
    });
    fake.clearRequests();
    await createDbaasDatabaseCreateAction(env).handler(ctx as any);
    return { ctx, calls: actionCalls(fake) };
  }

  it.each([5, 205])(
    'costs 5 GitHub calls with %i definitions, with 0 and with 3 open pull requests',
    async definitions => {
      await start(definitions);
      const noPulls = await create('payouts', 'task-1');
      expect(noPulls.calls).toEqual([
        expect.stringMatching(
          /^GET \/repos\/acme\/apps\/git\/trees\/[0-9a-f]{40}$/,
        ),
        'POST /repos/acme/apps/git/trees',
        'POST /repos/acme/apps/git/commits',
        'POST /repos/acme/apps/git/refs',
        'POST /repos/acme/apps/pulls',
      ]);

      await openPulls(3);
      await backend.resync();
      const threePulls = await create('refunds', 'task-2');
      expect(threePulls.calls).toHaveLength(5);
      expect(fake.listPulls('acme', 'apps', { state: 'open' })).toHaveLength(5);
    },
  );

  it('costs 6 when the base moved since the inventory read it', async () => {
    await start(5);
    fake.commitToBranch('acme', 'apps', 'main', { 'x/y/values.yaml': 'x' });
    const { calls } = await create('payouts', 'task-1');
    expect(calls).toHaveLength(6);
    expect(calls[5]).toMatch(/^GET \/repos\/acme\/apps\/compare\//);
  });

  it('refuses a database the inventory knows without any GitHub call', async () => {
    await start(5);
    await expect(create('ledger', 'task-1')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'defined in payments/ledger/values.yaml on main',
      ),
    });
    expect(actionCalls(fake)).toEqual([]);

    await openPulls(1);
    await backend.resync();
    await expect(create('other0', 'task-2')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/requested in pull request #1 /),
    });
    expect(actionCalls(fake)).toEqual([]);
  });

  it('reads the apps repository, with a warning, when the dbaas backend cannot be reached', async () => {
    await start(5);
    const unreachable = new DbaasBackendClient({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async () => 'http://127.0.0.1:1/api/dbaas',
        getExternalBaseUrl: async () => 'http://127.0.0.1:1/api/dbaas',
      },
    });
    const { ctx, calls } = await create('payouts', 'task-1', unreachable);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /The dbaas backend could not check payments\/payouts .*reading the apps repository instead/,
      ),
    );
    // Today's read: branch, tree, the definition blobs, the pull requests.
    expect(calls).toEqual(
      expect.arrayContaining([
        'GET /repos/acme/apps/pulls',
        'POST /repos/acme/apps/pulls',
      ]),
    );
    expect(ctx.outputs.pullRequestNumber).toBe(1);
  });
});
