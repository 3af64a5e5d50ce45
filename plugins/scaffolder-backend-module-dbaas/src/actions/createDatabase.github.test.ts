import { Octokit } from '@octokit/rest';
import { GitHubAppsRepository } from '@dbaas/plugin-dbaas-node';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import {
  createContext,
  createEnvironment,
  SETTINGS,
} from '../__testUtils__/actionTestEnvironment';
import { createDbaasDatabaseCreateAction } from './createDatabase';

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
    repo = new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'token' }),
      owner: 'acme',
      repo: 'apps',
      retry: { baseDelayMs: 1, sleep: async () => {} },
    });
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

  it('makes no GitHub call for a malformed name', async () => {
    fake.clearRequests();
    await expect(
      run({ namespace: 'payments', name: 'x\nadmin: true' }).done,
    ).rejects.toThrow(/may only contain/);
    expect(fake.requests).toEqual([]);
  });
});
