import { mockServices } from '@backstage/backend-test-utils';
import { Octokit } from '@octokit/rest';
import { createDatabaseEdit } from '../../definitions';
import { FakeGitHub } from '../../testUtils';
import { suiteBranchName } from '../suiteBranches';
import { AppsRepoChange } from '../types';
import { GitHubAppsRepository } from './GitHubAppsRepository';

const OWNER = 'acme';
const REPO = 'apps';
const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

/** GitHub's timestamp format (whole seconds). */
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function createChange(name: string): AppsRepoChange {
  return {
    branchName: suiteBranchName('create', 'payments', name),
    taskId: 'task1',
    title: `Create database payments/${name}`,
    body: `Adds payments-${name}.`,
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

describe('GitHubAppsRepository.listChanges', () => {
  let fake: FakeGitHub;
  let now: number;
  let waits: number[];
  let octokit: Octokit;

  function makeRepo(
    options: {
      maxChangePages?: number;
      logger?: any;
      maxRetries?: number;
    } = {},
  ) {
    return new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'test-token' }),
      owner: OWNER,
      repo: REPO,
      maxChangePages: options.maxChangePages,
      logger: options.logger,
      retry: {
        baseDelayMs: 100,
        maxRetries: options.maxRetries,
        sleep: async ms => {
          waits.push(ms);
        },
      },
    });
  }

  /** Opens a pull request straight away (one call), at the current fake time. */
  async function openPull(head: string, base = 'main') {
    fake.commitToBranch(OWNER, REPO, head, { [`${head}.txt`]: `${head}\n` });
    const { data } = await octokit.pulls.create({
      owner: OWNER,
      repo: REPO,
      head,
      base,
      title: `Change ${head}`,
    });
    return data.number;
  }

  const listCalls = () =>
    fake.requests
      .filter(r => r.method === 'GET' && r.path.endsWith('/pulls'))
      .map(r => r.query);

  beforeEach(async () => {
    now = START;
    waits = [];
    fake = await FakeGitHub.start({ now: () => new Date(now) });
    octokit = new Octokit({ baseUrl: fake.apiBaseUrl });
    fake.seedRepo(OWNER, REPO, { files: { 'README.md': '# apps\n' } });
  });

  afterEach(() => fake.stop());

  it('lists open, closed and merged suite pull requests with their timestamps', async () => {
    const repo = makeRepo();
    now = START + 1 * MINUTE;
    const open = await repo.proposeChange(createChange('ledger'));
    now = START + 2 * MINUTE;
    const abandoned = await repo.proposeChange(createChange('orders'));
    now = START + 3 * MINUTE;
    const merged = await repo.proposeChange(createChange('invoices'));
    now = START + 4 * MINUTE;
    fake.closePull(OWNER, REPO, abandoned.number);
    now = START + 5 * MINUTE;
    fake.mergePull(OWNER, REPO, merged.number);
    // Not the suite's: another branch, a fork, another base branch.
    now = START + 6 * MINUTE;
    await openPull('feature/docs');
    fake.openForkPull(OWNER, REPO, {
      forkOwner: 'mallory',
      head: suiteBranchName('delete', 'payments', 'ledger'),
      title: 'Delete database payments/ledger',
    });
    fake.commitToBranch(OWNER, REPO, 'release', { 'release.txt': 'r\n' });
    await openPull(suiteBranchName('update', 'payments', 'x'), 'release');
    fake.clearRequests();

    const changes = await repo.listChanges();

    expect(changes).toEqual([
      {
        number: merged.number,
        url: merged.url,
        branchName: merged.branchName,
        title: 'Create database payments/invoices',
        state: 'merged',
        createdAt: at(START + 3 * MINUTE),
        updatedAt: at(START + 5 * MINUTE),
        mergedAt: at(START + 5 * MINUTE),
        closedAt: at(START + 5 * MINUTE),
      },
      {
        number: abandoned.number,
        url: abandoned.url,
        branchName: abandoned.branchName,
        title: 'Create database payments/orders',
        state: 'closed',
        createdAt: at(START + 2 * MINUTE),
        updatedAt: at(START + 4 * MINUTE),
        closedAt: at(START + 4 * MINUTE),
      },
      {
        number: open.number,
        url: open.url,
        branchName: 'dbaas/create/payments/ledger',
        title: 'Create database payments/ledger',
        state: 'open',
        createdAt: at(START + 1 * MINUTE),
        updatedAt: at(START + 1 * MINUTE),
      },
    ]);
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/apps/pulls',
    ]);
    expect(listCalls()).toEqual([
      {
        state: 'all',
        base: 'main',
        sort: 'updated',
        direction: 'desc',
        per_page: '100',
        page: '1',
      },
    ]);
  });

  it('sees a pull request again when it is updated, merged or closed', async () => {
    const repo = makeRepo();
    now = START + MINUTE;
    const first = await repo.proposeChange(createChange('ledger'));
    const second = await repo.proposeChange(createChange('orders'));
    const since = new Date(START + 2 * MINUTE);
    expect(await repo.listChanges({ updatedSince: since })).toEqual([]);

    now = START + 3 * MINUTE;
    fake.commitToBranch(OWNER, REPO, first.branchName, { 'x.txt': 'x\n' });
    expect(
      (await repo.listChanges({ updatedSince: since })).map(c => [
        c.number,
        c.state,
        c.updatedAt,
      ]),
    ).toEqual([[first.number, 'open', at(START + 3 * MINUTE)]]);

    now = START + 4 * MINUTE;
    fake.mergePull(OWNER, REPO, second.number);
    now = START + 5 * MINUTE;
    await octokit.pulls.update({
      owner: OWNER,
      repo: REPO,
      pull_number: first.number,
      state: 'closed',
    });
    expect(
      (await repo.listChanges({ updatedSince: since })).map(c => [
        c.number,
        c.state,
        c.updatedAt,
      ]),
    ).toEqual([
      [first.number, 'closed', at(START + 5 * MINUTE)],
      [second.number, 'merged', at(START + 4 * MINUTE)],
    ]);
  });

  describe('with many pull requests', () => {
    // #1..#250, #n updated at START + n minutes; every third one not the suite's.
    const branchOf = (n: number) =>
      n % 3 === 0
        ? `feature/f${n}`
        : suiteBranchName('create', 'team', `db${n}`);
    const suite = (from: number, to: number) => {
      const numbers: number[] = [];
      for (let n = to; n >= from; n--) if (n % 3 !== 0) numbers.push(n);
      return numbers;
    };

    beforeEach(async () => {
      for (let n = 1; n <= 250; n++) {
        now = START + n * MINUTE;
        await openPull(branchOf(n));
      }
      fake.clearRequests();
    });

    it('stops paging at the first pull request older than updatedSince', async () => {
      const repo = makeRepo();

      const recent = await repo.listChanges({
        updatedSince: new Date(START + 200 * MINUTE),
      });
      expect(recent.map(c => c.number)).toEqual(suite(200, 250));
      expect(listCalls().map(q => q.page)).toEqual(['1']);

      fake.clearRequests();
      const more = await repo.listChanges({
        updatedSince: new Date(START + 120 * MINUTE),
      });
      expect(more.map(c => c.number)).toEqual(suite(120, 250));
      expect(listCalls().map(q => q.page)).toEqual(['1', '2']);

      fake.clearRequests();
      expect(
        await repo.listChanges({
          updatedSince: new Date(START + 251 * MINUTE),
        }),
      ).toEqual([]);
      expect(listCalls()).toHaveLength(1);
    });

    it('reads every page, following the Link header, without updatedSince', async () => {
      const all = await makeRepo().listChanges();
      expect(all.map(c => c.number)).toEqual(suite(1, 250));
      expect(all.every(c => c.state === 'open')).toBe(true);
      expect(listCalls().map(q => q.page)).toEqual(['1', '2', '3']);
    });

    it('reads at most maxChangePages pages', async () => {
      const logger = mockServices.logger.mock();
      const repo = makeRepo({ maxChangePages: 2, logger });

      const capped = await repo.listChanges();
      expect(capped.map(c => c.number)).toEqual(suite(51, 250));
      expect(listCalls()).toHaveLength(2);
      expect(logger.debug).toHaveBeenCalledWith(
        expect.stringContaining('older ones are left out'),
      );
      expect(logger.warn).not.toHaveBeenCalled();

      fake.clearRequests();
      await repo.listChanges({ updatedSince: new Date(START) });
      expect(listCalls()).toHaveLength(2);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('although they were updated since'),
      );
    });

    it('retries a 5xx answer on a later page', async () => {
      const repo = makeRepo();
      let armed = false;
      fake.onRequest(request => {
        // Fails the first request for page 2 (the fault applies to the request being handled).
        if (
          !armed &&
          request.path.endsWith('/pulls') &&
          request.query.page === '2'
        ) {
          armed = true;
          fake.failNext({
            method: 'GET',
            pathPattern: /\/pulls$/,
            status: 502,
          });
        }
      });
      const changes = await repo.listChanges({
        updatedSince: new Date(START + 120 * MINUTE),
      });
      expect(armed).toBe(true);
      expect(changes.map(c => c.number)).toEqual(suite(120, 250));
      expect(waits).toEqual([100]);
      expect(
        fake.requests
          .filter(r => r.path.endsWith('/pulls'))
          .map(r => [r.query.page, r.status]),
      ).toEqual([
        ['1', 200],
        ['2', 502],
        ['2', 200],
      ]);
    });
  });

  it('retries 5xx answers and names the call when retries run out', async () => {
    const repo = makeRepo({ maxRetries: 2 });
    await repo.proposeChange(createChange('ledger'));
    fake.clearRequests();
    fake.failNext({ method: 'GET', pathPattern: /\/pulls$/, status: 503 });
    expect((await repo.listChanges()).map(c => c.state)).toEqual(['open']);
    expect(waits).toEqual([100]);
    expect(listCalls()).toHaveLength(2);

    fake.failNext({
      method: 'GET',
      pathPattern: /\/pulls$/,
      status: 503,
      times: 10,
    });
    const error = await repo.listChanges().catch(e => e);
    expect(error.message).toContain('Could not list the changes');
    expect(error.message).toContain(
      'GET /repos/acme/apps/pulls failed after 3 attempts',
    );
  });
});
