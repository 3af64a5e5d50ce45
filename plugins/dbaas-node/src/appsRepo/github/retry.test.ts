import { Octokit } from '@octokit/rest';
import { FakeGitHub } from '../../testUtils';
import { classifyGitHubError, installGitHubRetries } from './retry';

function httpError(
  status: number,
  headers: Record<string, string> = {},
  message = 'x',
) {
  return Object.assign(new Error(message), {
    name: 'HttpError',
    status,
    response: { status, headers, data: { message } },
  });
}

describe('classifyGitHubError', () => {
  const now = 1_000_000_000_000;

  it('honours retry-after on 429 and 403', () => {
    expect(
      classifyGitHubError(httpError(429, { 'retry-after': '30' }), now),
    ).toMatchObject({
      kind: 'rate-limit',
      waitMs: 30_000,
    });
    expect(
      classifyGitHubError(httpError(403, { 'retry-after': '5' }), now),
    ).toMatchObject({
      kind: 'rate-limit',
      waitMs: 5000,
    });
  });

  it('waits until x-ratelimit-reset when the quota is used up', () => {
    const reset = String(now / 1000 + 42);
    expect(
      classifyGitHubError(
        httpError(403, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
        }),
        now,
      ),
    ).toMatchObject({ kind: 'rate-limit', waitMs: 42_000 });
  });

  it('waits a minute on a secondary rate limit without headers', () => {
    expect(
      classifyGitHubError(
        httpError(403, {}, 'You have exceeded a secondary rate limit'),
        now,
      ),
    ).toMatchObject({ kind: 'rate-limit', waitMs: 60_000 });
  });

  it('retries 5xx and network errors, not other errors', () => {
    expect(classifyGitHubError(httpError(502), now).kind).toBe('transient');
    expect(classifyGitHubError(httpError(500), now).kind).toBe('transient');
    const network = Object.assign(new Error('fetch failed'), { status: 500 });
    expect(classifyGitHubError(network, now).kind).toBe('transient');
    expect(classifyGitHubError(httpError(501), now).kind).toBe('fatal');
    expect(
      classifyGitHubError(httpError(403, {}, 'Resource not accessible'), now)
        .kind,
    ).toBe('fatal');
    expect(classifyGitHubError(httpError(404), now).kind).toBe('fatal');
    expect(classifyGitHubError(httpError(422), now).kind).toBe('fatal');
    expect(classifyGitHubError(new TypeError('bug'), now).kind).toBe('fatal');
  });
});

describe('installGitHubRetries', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start();
    fake.seedRepo('acme', 'apps', { files: { a: 'a' } });
  });
  afterEach(() => fake.stop());

  it('retries a dropped connection and is installed once only', async () => {
    const octokit = new Octokit({ baseUrl: fake.apiBaseUrl });
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    installGitHubRetries(octokit, { sleep, baseDelayMs: 10 });
    installGitHubRetries(octokit, { sleep, baseDelayMs: 10 });
    fake.resetConnectionNext({
      method: 'GET',
      pathPattern: '/repos/acme/apps',
      times: 2,
    });
    const { data } = await octokit.repos.get({ owner: 'acme', repo: 'apps' });
    expect(data.default_branch).toBe('main');
    expect(waits).toEqual([10, 20]);
    expect(fake.requests).toHaveLength(3);
  });

  it('passes other errors through untouched', async () => {
    const octokit = new Octokit({ baseUrl: fake.apiBaseUrl });
    installGitHubRetries(octokit, { sleep: async () => {} });
    await expect(
      octokit.repos.get({ owner: 'acme', repo: 'nope' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a hanging attempt and retries it', async () => {
    const octokit = new Octokit({ baseUrl: fake.apiBaseUrl });
    installGitHubRetries(octokit, {
      sleep: async () => {},
      requestTimeoutMs: 50,
    });
    fake.latencyMs = 200;
    let first = true;
    fake.onRequest(() => {
      if (!first) fake.latencyMs = 0;
      first = false;
    });
    const { data } = await octokit.repos.get({ owner: 'acme', repo: 'apps' });
    expect(data.name).toBe('apps');
    expect(fake.requests).toHaveLength(2);
  });
});
