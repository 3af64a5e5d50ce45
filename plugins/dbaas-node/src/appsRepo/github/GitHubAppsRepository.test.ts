import { ConfigReader } from '@backstage/config';
import { Octokit } from '@octokit/rest';
import { createDatabaseEdit } from '../../definitions';
import { FakeGitHub } from '../../testUtils';
import { AppsRepoChange, FileEdit } from '../types';
import { GitHubAppsRepository } from './GitHubAppsRepository';
import { GitHubRetryOptions } from './retry';

const OWNER = 'acme';
const REPO = 'apps';

const BILLING_VALUES = `# Databases of the billing service
postgresqlDatabases:
  - name: billing
    mode: protected # keep the data
`;
const BILLING_APP = `apiVersion: v2
name: billing
description: billing
version: 0.1.0
slackChannel: payments
helm:
  chart: helm/idp-postgresql
  chartVersion: "1.0.1"
`;

function createChange(
  namespace: string,
  name: string,
  options: { folder?: string } & Partial<AppsRepoChange> = {},
): AppsRepoChange {
  const { folder = name, ...rest } = options;
  return {
    branchName: `dbaas/create/${namespace}/${name}`,
    taskId: 'task-1',
    title: `Create database ${namespace}/${name}`,
    body: `Adds PostgreSQL database \`${namespace}-${name}\`.`,
    commitMessage: `Create database ${namespace}/${name}`,
    edit: createDatabaseEdit({
      basePath: '',
      namespace,
      folder,
      name,
      chartVersion: '1.0.1',
      slackChannel: 'payments',
    }),
    ...rest,
  };
}

describe('GitHubAppsRepository', () => {
  let fake: FakeGitHub;
  let waits: number[];
  let clock: number;

  const retry = (extra: GitHubRetryOptions = {}): GitHubRetryOptions => ({
    baseDelayMs: 100,
    maxWaitMs: 60_000,
    sleep: async ms => {
      waits.push(ms);
      clock += ms;
    },
    now: () => clock,
    ...extra,
  });

  function makeRepo(extra: GitHubRetryOptions = {}, basePath?: string) {
    return new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'test-token' }),
      owner: OWNER,
      repo: REPO,
      baseBranch: 'main',
      basePath,
      retry: retry(extra),
    });
  }

  /** The edits the change makes on the current base, read straight from the fake. */
  async function expectedEdits(change: AppsRepoChange): Promise<FileEdit[]> {
    return change.edit(async path => fake.readFile(OWNER, REPO, 'main', path));
  }

  const calls = () => fake.requests.map(r => `${r.method} ${r.path}`);
  const writes = () =>
    fake.requests.filter(r => r.method !== 'GET' && r.method !== 'HEAD');

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    waits = [];
    clock = Date.UTC(2030, 0, 1);
    fake.seedRepo(OWNER, REPO, {
      files: {
        'README.md': '# apps\n',
        'payments/billing/values.yaml': BILLING_VALUES,
        'payments/billing/application.yaml': BILLING_APP,
      },
    });
  });

  afterEach(() => fake.stop());

  it('opens a pull request for a new database folder in 6 calls', async () => {
    const repo = makeRepo();
    const change = createChange('payments', 'ledger');
    const expected = await expectedEdits(change);
    const baseSha = fake.branchSha(OWNER, REPO, 'main')!;

    const result = await repo.proposeChange(change);

    expect(calls()).toEqual([
      'GET /repos/acme/apps/branches/main',
      expect.stringMatching(
        /^GET \/repos\/acme\/apps\/git\/trees\/[0-9a-f]{40}$/,
      ),
      'POST /repos/acme/apps/git/trees',
      'POST /repos/acme/apps/git/commits',
      'POST /repos/acme/apps/git/refs',
      'POST /repos/acme/apps/pulls',
    ]);
    expect(fake.requests.length).toBeLessThanOrEqual(6);

    const branch = 'dbaas/create/payments/ledger';
    expect(expected.map(e => e.path)).toEqual([
      'payments/ledger/values.yaml',
      'payments/ledger/application.yaml',
    ]);
    for (const edit of expected) {
      expect(fake.readFile(OWNER, REPO, branch, edit.path)).toBe(edit.content);
    }
    // Everything else is untouched.
    expect(fake.listFiles(OWNER, REPO, branch)).toEqual({
      ...fake.listFiles(OWNER, REPO, 'main'),
      ...Object.fromEntries(expected.map(e => [e.path, e.content])),
    });

    const head = fake.getCommit(OWNER, REPO, result.commitSha);
    expect(head.parents).toEqual([baseSha]);
    expect(head.message).toBe(
      'Create database payments/ledger\n\nDbaas-Change: dbaas/create/payments/ledger\nDbaas-Task: task-1\n',
    );
    expect(result).toEqual({
      url: 'https://github.com/acme/apps/pull/1',
      number: 1,
      branchName: branch,
      merged: false,
      commitSha: fake.branchSha(OWNER, REPO, branch),
    });
    const [pull] = fake.listPulls(OWNER, REPO);
    expect(pull).toMatchObject({
      number: 1,
      state: 'open',
      draft: false,
      title: change.title,
      body: change.body,
      head: { ref: branch, sha: result.commitSha },
      base: { ref: 'main' },
      labels: [],
      requested_reviewers: [],
    });
    expect(fake.forceUpdates).toEqual([]);
    // No blob uploads: contents go inline in the tree.
    expect(calls().some(c => c.includes('/git/blobs'))).toBe(false);
  });

  it('adds labels, reviewers and the draft flag only when given', async () => {
    const repo = makeRepo();
    await repo.proposeChange(
      createChange('payments', 'ledger', {
        labels: ['dbaas', 'database'],
        reviewers: ['alice'],
        teamReviewers: ['dba-team'],
        draft: true,
      }),
    );
    expect(fake.requests).toHaveLength(8);
    expect(calls().slice(-2)).toEqual([
      'POST /repos/acme/apps/issues/1/labels',
      'POST /repos/acme/apps/pulls/1/requested_reviewers',
    ]);
    expect(fake.listPulls(OWNER, REPO)[0]).toMatchObject({
      draft: true,
      labels: [{ name: 'dbaas' }, { name: 'database' }],
      requested_reviewers: [{ login: 'alice' }],
      requested_teams: [{ slug: 'dba-team' }],
    });
  });

  it('adds a database to an existing values.yaml keeping comments and entries', async () => {
    const repo = makeRepo();
    const change = createChange('payments', 'invoices', { folder: 'billing' });
    const expected = await expectedEdits(change);
    await repo.proposeChange(change);
    // one more call: the existing values.yaml blob
    expect(fake.requests).toHaveLength(7);
    const values = fake.readFile(
      OWNER,
      REPO,
      change.branchName,
      'payments/billing/values.yaml',
    );
    expect(values).toBe(expected[0].content);
    expect(values).toContain('# Databases of the billing service');
    expect(values).toContain('mode: protected # keep the data');
    expect(values).toContain('name: invoices');
    expect(
      fake.readFile(
        OWNER,
        REPO,
        change.branchName,
        'payments/billing/application.yaml',
      ),
    ).toBe(BILLING_APP);
  });

  it('returns the same branch and pull request when the change is proposed again', async () => {
    const repo = makeRepo();
    const change = createChange('payments', 'ledger');
    const first = await repo.proposeChange(change);
    fake.clearRequests();
    const second = await repo.proposeChange(change);
    const third = await makeRepo().proposeChange(change);

    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(fake.listPulls(OWNER, REPO, { state: 'all' })).toHaveLength(1);
    expect(fake.listBranches(OWNER, REPO)).toEqual([
      'dbaas/create/payments/ledger',
      'main',
    ]);
    expect(fake.branchSha(OWNER, REPO, change.branchName)).toBe(
      first.commitSha,
    );
    expect(fake.forceUpdates).toEqual([]);
  });

  it('ends with one branch and one pull request on a double click', async () => {
    const change = createChange('payments', 'ledger');
    const [a, b] = await Promise.all([
      makeRepo().proposeChange(change),
      makeRepo().proposeChange(change),
    ]);
    expect(a.number).toBe(b.number);
    expect(a.commitSha).toBe(b.commitSha);
    expect(fake.listPulls(OWNER, REPO, { state: 'all' })).toHaveLength(1);
    expect(fake.listBranches(OWNER, REPO)).toHaveLength(2);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('moves an existing branch without commits of its own forward', async () => {
    const change = createChange('payments', 'ledger');
    await new Octokit({ baseUrl: fake.apiBaseUrl }).git.createRef({
      owner: OWNER,
      repo: REPO,
      ref: `refs/heads/${change.branchName}`,
      sha: fake.branchSha(OWNER, REPO, 'main')!,
    });
    const result = await makeRepo().proposeChange(change);
    expect(fake.getCommit(OWNER, REPO, result.commitSha).parents).toEqual([
      fake.branchSha(OWNER, REPO, 'main'),
    ]);
    expect(
      fake.readFile(
        OWNER,
        REPO,
        change.branchName,
        'payments/ledger/values.yaml',
      ),
    ).toContain('name: ledger');
    expect(fake.forceUpdates).toEqual([]);
  });

  it('keeps everybody\u2019s entries when two changes edit the same values.yaml at once', async () => {
    const repo = makeRepo();
    const a = createChange('payments', 'invoices', { folder: 'billing' });
    const b = createChange('payments', 'refunds', { folder: 'billing' });
    const [ra, rb] = await Promise.all([
      repo.proposeChange(a),
      repo.proposeChange(b),
    ]);
    expect(ra.number).not.toBe(rb.number);

    const path = 'payments/billing/values.yaml';
    const va = fake.readFile(OWNER, REPO, a.branchName, path)!;
    const vb = fake.readFile(OWNER, REPO, b.branchName, path)!;
    expect(va).toContain('name: billing');
    expect(va).toContain('name: invoices');
    expect(vb).toContain('name: billing');
    expect(vb).toContain('name: refunds');

    // After the first is merged, proposing the second again rebuilds it on
    // the new base (merge commit, fast forward) so both entries end up in main.
    fake.mergePull(OWNER, REPO, ra.number);
    const again = await repo.proposeChange(b);
    expect(again.number).toBe(rb.number);
    const rebuilt = fake.getCommit(OWNER, REPO, again.commitSha);
    expect(rebuilt.parents).toEqual([
      rb.commitSha,
      fake.branchSha(OWNER, REPO, 'main'),
    ]);
    fake.mergePull(OWNER, REPO, rb.number);
    const merged = fake.readFile(OWNER, REPO, 'main', path)!;
    for (const name of ['billing', 'invoices', 'refunds']) {
      expect(merged).toContain(`name: ${name}`);
    }
    expect(fake.forceUpdates).toEqual([]);
  });

  it('waits for retry-after on 429 and then succeeds', async () => {
    fake.failNext({
      method: 'POST',
      pathPattern: /\/git\/trees$/,
      status: 429,
      headers: { 'retry-after': '2' },
    });
    const result = await makeRepo().proposeChange(
      createChange('payments', 'ledger'),
    );
    expect(waits).toEqual([2000]);
    expect(result.number).toBe(1);
    expect(fake.pendingFaults).toBe(0);
  });

  it('waits until x-ratelimit-reset on a 403 rate limit and then succeeds', async () => {
    fake.failNext({
      method: 'GET',
      pathPattern: '/branches/main',
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(clock / 1000) + 7),
      },
    });
    const result = await makeRepo().proposeChange(
      createChange('payments', 'ledger'),
    );
    expect(waits).toEqual([7000]);
    expect(result.number).toBe(1);
  });

  it('fails at once with a clear error when the rate limit resets beyond the bound', async () => {
    fake.failNext({
      pathPattern: '/branches/main',
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(clock / 1000) + 3600),
      },
    });
    const error = await makeRepo({ maxWaitMs: 60_000 })
      .proposeChange(createChange('payments', 'ledger'))
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain('GET /repos/acme/apps/branches/main');
    expect(error.message).toContain('403');
    expect(error.message).toContain('would exceed the bound of 60 s');
    expect(waits).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('retries 5xx answers in the middle of the sequence with backoff', async () => {
    fake.failNext({
      method: 'POST',
      pathPattern: /\/git\/commits$/,
      status: 502,
      times: 2,
    });
    const change = createChange('payments', 'ledger');
    const result = await makeRepo().proposeChange(change);
    expect(waits).toEqual([100, 200]);
    expect(result.number).toBe(1);
    expect(fake.listPulls(OWNER, REPO)).toHaveLength(1);
    const expected = await expectedEdits(change);
    for (const edit of expected) {
      expect(fake.readFile(OWNER, REPO, change.branchName, edit.path)).toBe(
        edit.content,
      );
    }
  });

  it('ends with one pull request when the connection drops after GitHub created it', async () => {
    fake.resetConnectionNext({
      method: 'POST',
      pathPattern: /\/pulls$/,
      afterHandling: true,
    });
    const result = await makeRepo().proposeChange(
      createChange('payments', 'ledger'),
    );
    expect(result).toMatchObject({
      number: 1,
      url: 'https://github.com/acme/apps/pull/1',
    });
    expect(fake.listPulls(OWNER, REPO, { state: 'all' })).toHaveLength(1);
    expect(calls().slice(-3)).toEqual([
      'POST /repos/acme/apps/pulls', // created, answer lost
      'POST /repos/acme/apps/pulls', // 422 already exists
      'GET /repos/acme/apps/pulls',
    ]);
  });

  it('ends with one branch when the answer to the branch creation is lost', async () => {
    fake.resetConnectionNext({
      method: 'POST',
      pathPattern: /\/git\/refs$/,
      afterHandling: true,
    });
    const change = createChange('payments', 'ledger');
    const result = await makeRepo().proposeChange(change);
    expect(result.commitSha).toBe(
      fake.branchSha(OWNER, REPO, change.branchName),
    );
    expect(fake.listPulls(OWNER, REPO)).toHaveLength(1);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('completes the same pull request when a whole attempt failed half way', async () => {
    fake.failNext({
      method: 'POST',
      pathPattern: /\/pulls$/,
      status: 503,
      times: 10,
    });
    const change = createChange('payments', 'ledger');
    const failed = await makeRepo({ maxRetries: 2 })
      .proposeChange(change)
      .catch(e => e);
    expect(failed.name).toBe('ServiceUnavailableError');
    expect(fake.branchSha(OWNER, REPO, change.branchName)).toBeDefined();
    expect(fake.listPulls(OWNER, REPO)).toHaveLength(0);

    fake.clearFaults();
    const result = await makeRepo().proposeChange(change);
    expect(result.number).toBe(1);
    expect(fake.listPulls(OWNER, REPO, { state: 'all' })).toHaveLength(1);
    expect(fake.listBranches(OWNER, REPO)).toHaveLength(2);
  });

  it('gives a clear error naming the call and status when retries run out', async () => {
    fake.failNext({
      method: 'POST',
      pathPattern: /\/git\/commits$/,
      status: 503,
      times: 100,
    });
    const error = await makeRepo({ maxRetries: 3 })
      .proposeChange(createChange('payments', 'ledger'))
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain(
      'Could not propose dbaas/create/payments/ledger to acme/apps',
    );
    expect(error.message).toContain(
      'POST /repos/acme/apps/git/commits failed after 4 attempts',
    );
    expect(error.message).toContain('503');
    expect(waits).toEqual([100, 200, 400]);
  });

  it('rebuilds on the new head when the base moves between reading and writing', async () => {
    const change = createChange('payments', 'invoices', { folder: 'billing' });
    const path = 'payments/billing/values.yaml';
    let moved: string | undefined;
    fake.onRequest(req => {
      if (!moved && req.method === 'POST' && req.path.endsWith('/git/refs')) {
        moved = fake.commitToBranch(OWNER, REPO, 'main', {
          [path]: `${BILLING_VALUES}  - name: audit\n    mode: standard\n`,
        });
      }
    });
    const result = await makeRepo().proposeChange(change);

    expect(moved).toBeDefined();
    const values = fake.readFile(OWNER, REPO, change.branchName, path)!;
    for (const name of ['billing', 'audit', 'invoices']) {
      expect(values).toContain(`name: ${name}`);
    }
    const head = fake.getCommit(OWNER, REPO, result.commitSha);
    expect(head.parents).toContain(moved);
    expect(fake.forceUpdates).toEqual([]);
    expect(fake.listPulls(OWNER, REPO)).toHaveLength(1);
    // GitHub can merge it: the only change against main is ours.
    fake.mergePull(OWNER, REPO, result.number);
    expect(fake.readFile(OWNER, REPO, 'main', path)).toBe(values);
  });

  it('does not rebuild when the base moved in files the change does not touch', async () => {
    const change = createChange('payments', 'ledger');
    const baseSha = fake.branchSha(OWNER, REPO, 'main');
    let done = false;
    fake.onRequest(req => {
      if (!done && req.method === 'POST' && req.path.endsWith('/git/refs')) {
        done = true;
        fake.commitToBranch(OWNER, REPO, 'main', {
          'other/x/values.yaml': 'x',
        });
      }
    });
    const result = await makeRepo().proposeChange(change);
    expect(fake.getCommit(OWNER, REPO, result.commitSha).parents).toEqual([
      baseSha,
    ]);
    expect(writes().map(r => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/apps/git/trees',
      'POST /repos/acme/apps/git/commits',
      'POST /repos/acme/apps/git/refs',
      'POST /repos/acme/apps/pulls',
    ]);
  });

  it('leaves a branch alone when someone else pushed to it', async () => {
    const repo = makeRepo();
    const change = createChange('payments', 'ledger');
    await repo.proposeChange(change);
    const foreign = fake.commitToBranch(OWNER, REPO, change.branchName, {
      'payments/ledger/values.yaml': 'postgresqlDatabases: []\n',
    });
    const error = await repo.proposeChange(change).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain('not made by this suite');
    expect(error.message).toContain(foreign.slice(0, 7));
    expect(fake.branchSha(OWNER, REPO, change.branchName)).toBe(foreign);
    expect(fake.forceUpdates).toEqual([]);
  });

  it('returns the merged pull request when retried after the merge', async () => {
    const repo = makeRepo();
    const change = createChange('payments', 'ledger');
    const first = await repo.proposeChange(change);
    const mergeSha = fake.mergePull(OWNER, REPO, first.number);
    const again = await repo.proposeChange(change);
    expect(again).toEqual({ ...first, merged: true, commitSha: mergeSha });
    expect(fake.listPulls(OWNER, REPO, { state: 'all' })).toHaveLength(1);
  });

  it('refuses a malformed values.yaml without writing anything', async () => {
    fake.commitToBranch(OWNER, REPO, 'main', {
      'payments/billing/values.yaml': 'postgresqlDatabases: [unclosed\n',
    });
    fake.clearRequests();
    const error = await makeRepo()
      .proposeChange(
        createChange('payments', 'invoices', { folder: 'billing' }),
      )
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(writes()).toEqual([]);
  });

  it('refuses a change that changes nothing, without a branch or pull request', async () => {
    const change: AppsRepoChange = {
      ...createChange('payments', 'ledger'),
      edit: async read => [
        { path: 'README.md', content: (await read('README.md'))! },
        { path: 'not/there.yaml', content: null },
      ],
    };
    const error = await makeRepo()
      .proposeChange(change)
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain('Nothing to propose');
    expect(fake.listBranches(OWNER, REPO)).toEqual(['main']);
    expect(fake.listPulls(OWNER, REPO, { state: 'all' })).toEqual([]);
  });

  it('refuses an invalid branch name before calling GitHub', async () => {
    const change = {
      ...createChange('payments', 'ledger'),
      branchName: 'main',
    };
    await expect(makeRepo().proposeChange(change)).rejects.toMatchObject({
      name: 'InputError',
    });
    const other = {
      ...createChange('payments', 'ledger'),
      branchName: 'dbaas/../x',
    };
    await expect(makeRepo().proposeChange(other)).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(fake.requests).toEqual([]);
  });

  it('previews a change without writing', async () => {
    const change = createChange('payments', 'ledger');
    const preview = await makeRepo().previewChange(change);
    expect(preview.baseSha).toBe(fake.branchSha(OWNER, REPO, 'main'));
    expect(preview.edits).toEqual(await expectedEdits(change));
    expect(preview.diff).toContain('+++ b/payments/ledger/values.yaml');
    expect(preview.diff).toContain('+++ b/payments/ledger/application.yaml');
    expect(preview.diff).toContain('+  - name: ledger');
    expect(writes()).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it('reads files and lists definitions on the base branch', async () => {
    fake.commitToBranch(OWNER, REPO, 'main', {
      'orders/cart/values.yaml': 'postgresqlDatabases:\n  - name: cart\n',
      'orders/cart/application.yaml': 'name: cart\n',
      'orders/values.yaml': 'not: a definition\n',
      'orders/cart/deep/values.yaml': 'not: a definition\n',
    });
    const repo = makeRepo();
    await expect(repo.readFile('payments/billing/values.yaml')).resolves.toBe(
      BILLING_VALUES,
    );
    await expect(
      repo.readFile('payments/nothing/values.yaml'),
    ).resolves.toBeUndefined();
    await expect(repo.readFile('payments')).resolves.toBeUndefined();
    await expect(repo.readFile('../etc/passwd')).rejects.toMatchObject({
      name: 'InputError',
    });

    fake.clearRequests();
    const fresh = makeRepo();
    await expect(fresh.listDefinitionFiles()).resolves.toEqual([
      {
        path: 'orders/cart/values.yaml',
        content: 'postgresqlDatabases:\n  - name: cart\n',
      },
      { path: 'payments/billing/values.yaml', content: BILLING_VALUES },
    ]);
    expect(fake.requests).toHaveLength(4);
    // A second listing while the branch has not moved: one call, a 304
    // (see inventoryReads.test.ts for the costs of the cache).
    fake.clearRequests();
    await fresh.listDefinitionFiles();
    expect(fake.requests.map(r => r.status)).toEqual([304]);
  });

  it('lists definitions under a base path', async () => {
    fake.commitToBranch(OWNER, REPO, 'main', {
      'tenants/orders/cart/values.yaml':
        'postgresqlDatabases:\n  - name: cart\n',
    });
    const files = await makeRepo({}, 'tenants').listDefinitionFiles();
    expect(files.map(f => f.path)).toEqual(['tenants/orders/cart/values.yaml']);
  });

  it('lists the open changes of the suite with their files at head', async () => {
    const repo = makeRepo();
    const ledger = createChange('payments', 'ledger');
    const invoices = createChange('payments', 'invoices', {
      folder: 'billing',
    });
    await repo.proposeChange(ledger);
    await repo.proposeChange(invoices);
    const closed = await repo.proposeChange(createChange('payments', 'gone'));
    fake.closePull(OWNER, REPO, closed.number);
    // someone else's pull request
    fake.commitToBranch(OWNER, REPO, 'feature/docs', { 'README.md': 'docs\n' });
    await new Octokit({ baseUrl: fake.apiBaseUrl }).pulls.create({
      owner: OWNER,
      repo: REPO,
      head: 'feature/docs',
      base: 'main',
      title: 'Docs',
    });

    const open = await repo.listOpenChanges();
    expect(open.map(o => o.branchName).sort()).toEqual([
      invoices.branchName,
      ledger.branchName,
    ]);
    const ledgerChange = open.find(o => o.branchName === ledger.branchName)!;
    expect(ledgerChange).toMatchObject({
      title: ledger.title,
      url: expect.stringContaining('/pull/'),
    });
    expect(ledgerChange.files).toEqual(
      expect.arrayContaining(
        (await expectedEdits(ledger)).map(e => ({
          path: e.path,
          content: e.content,
        })),
      ),
    );
    const invoicesChange = open.find(
      o => o.branchName === invoices.branchName,
    )!;
    expect(invoicesChange.files.map(f => f.path)).toEqual([
      'payments/billing/values.yaml',
    ]);
    expect(invoicesChange.files[0].content).toContain('name: invoices');
  });

  describe('fromConfig', () => {
    it('uses the integration token and API base URL', async () => {
      const config = new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.com',
              apiBaseUrl: fake.apiBaseUrl,
              token: 'cfg-token',
            },
          ],
        },
        dbaas: {
          gitops: {
            repoUrl: 'https://github.com/acme/apps',
            baseBranch: 'main',
          },
        },
      });
      const repo = GitHubAppsRepository.fromConfig(config, { retry: retry() });
      expect(repo.baseBranch).toBe('main');
      await expect(repo.readFile('README.md')).resolves.toBe('# apps\n');
      expect(fake.requests[0].authorization).toMatch(/cfg-token$/);
    });

    it('works with GitHub Enterprise and the scaffolder repo URL format', async () => {
      const ghe = await FakeGitHub.start({
        enterprise: true,
        htmlHost: 'ghe.example.com',
      });
      try {
        ghe.seedRepo('platform', 'gitops', {
          files: { 'a/b/values.yaml': 'x: 1\n' },
        });
        const config = new ConfigReader({
          integrations: {
            github: [
              {
                host: 'ghe.example.com',
                apiBaseUrl: ghe.apiBaseUrl,
                token: 'ghe-token',
              },
            ],
          },
        });
        const repo = GitHubAppsRepository.fromConfig(config, {
          repoUrl: 'ghe.example.com?owner=platform&repo=gitops',
          retry: retry(),
        });
        await expect(repo.listDefinitionFiles()).resolves.toEqual([
          { path: 'a/b/values.yaml', content: 'x: 1\n' },
        ]);
        const result = await repo.proposeChange(
          createChange('payments', 'ledger'),
        );
        expect(result.url).toBe(
          'https://ghe.example.com/platform/gitops/pull/1',
        );
      } finally {
        await ghe.stop();
      }
    });

    it('explains a missing integration or repository URL', () => {
      expect(() =>
        GitHubAppsRepository.fromConfig(new ConfigReader({}), {
          repoUrl: 'https://git.example.com/a/b',
        }),
      ).toThrow(/No GitHub integration for git.example.com/);
      expect(() =>
        GitHubAppsRepository.fromConfig(new ConfigReader({})),
      ).toThrow(/dbaas.gitops.repoUrl/);
    });
  });
});
