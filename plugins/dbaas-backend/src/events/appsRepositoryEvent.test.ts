import {
  GITHUB_PULL_REQUEST_TOPIC,
  GITHUB_PUSH_TOPIC,
  describeAppsRepositoryEvent,
} from './appsRepositoryEvent';

const watched = {
  host: 'github.com',
  owner: 'acme',
  repo: 'apps',
  baseBranch: 'main',
};

const repository = (htmlUrl: string) => ({
  html_url: htmlUrl,
  full_name: htmlUrl.split('/').slice(-2).join('/'),
});

const push = (ref: string, htmlUrl = 'https://github.com/acme/apps') => ({
  ref,
  repository: repository(htmlUrl),
});

const pull = (
  action: string,
  options: {
    head?: string;
    base?: string;
    merged?: boolean;
    htmlUrl?: string;
  } = {},
) => ({
  action,
  number: 12,
  repository: repository(options.htmlUrl ?? 'https://github.com/acme/apps'),
  pull_request: {
    number: 12,
    merged: options.merged ?? false,
    head: { ref: options.head ?? 'dbaas/create/payments/ledger' },
    base: { ref: options.base ?? 'main' },
  },
});

describe('describeAppsRepositoryEvent', () => {
  it.each([
    [GITHUB_PUSH_TOPIC, push('refs/heads/main'), 'push to main of acme/apps'],
    // Host, owner and name compared without case.
    [
      GITHUB_PUSH_TOPIC,
      push('refs/heads/main', 'https://GitHub.com/Acme/Apps'),
      'push to main of acme/apps',
    ],
    [
      GITHUB_PULL_REQUEST_TOPIC,
      pull('opened'),
      'pull request #12 of acme/apps opened',
    ],
    [
      GITHUB_PULL_REQUEST_TOPIC,
      pull('closed', { merged: true }),
      'pull request #12 of acme/apps closed (merged)',
    ],
    [
      GITHUB_PULL_REQUEST_TOPIC,
      pull('closed'),
      'pull request #12 of acme/apps closed',
    ],
    [
      GITHUB_PULL_REQUEST_TOPIC,
      pull('synchronize'),
      'pull request #12 of acme/apps synchronize',
    ],
    [
      GITHUB_PULL_REQUEST_TOPIC,
      pull('reopened'),
      'pull request #12 of acme/apps reopened',
    ],
    [
      GITHUB_PULL_REQUEST_TOPIC,
      pull('edited'),
      'pull request #12 of acme/apps edited',
    ],
  ])('%s %j: %s', (topic, payload, description) => {
    expect(describeAppsRepositoryEvent(topic, payload, watched)).toBe(
      description,
    );
  });

  it.each([
    [
      'another repository',
      GITHUB_PUSH_TOPIC,
      push('refs/heads/main', 'https://github.com/acme/website'),
    ],
    [
      'another owner',
      GITHUB_PUSH_TOPIC,
      push('refs/heads/main', 'https://github.com/evil/apps'),
    ],
    [
      'another host',
      GITHUB_PUSH_TOPIC,
      push('refs/heads/main', 'https://ghe.acme.internal/acme/apps'),
    ],
    [
      'a longer path',
      GITHUB_PUSH_TOPIC,
      push('refs/heads/main', 'https://github.com/acme/apps/extra'),
    ],
    [
      'no html_url',
      GITHUB_PUSH_TOPIC,
      { ref: 'refs/heads/main', repository: { full_name: 'acme/apps' } },
    ],
    [
      'a malformed html_url',
      GITHUB_PUSH_TOPIC,
      push('refs/heads/main', 'not a url'),
    ],
    [
      'a push to another branch',
      GITHUB_PUSH_TOPIC,
      push('refs/heads/dbaas/create/payments/ledger'),
    ],
    ['a tag', GITHUB_PUSH_TOPIC, push('refs/tags/main')],
    ['a label', GITHUB_PULL_REQUEST_TOPIC, pull('labeled')],
    ['a review request', GITHUB_PULL_REQUEST_TOPIC, pull('review_requested')],
    [
      'a pull request into another base',
      GITHUB_PULL_REQUEST_TOPIC,
      pull('opened', { base: 'release' }),
    ],
    [
      'a pull request not of the suite',
      GITHUB_PULL_REQUEST_TOPIC,
      pull('closed', { head: 'fix-typo', merged: true }),
    ],
    [
      'a pull request of another repository',
      GITHUB_PULL_REQUEST_TOPIC,
      pull('opened', { htmlUrl: 'https://github.com/acme/website' }),
    ],
    ['another event', 'github.issues', push('refs/heads/main')],
    ['no payload', GITHUB_PUSH_TOPIC, undefined],
    [
      'a pull_request without pull request',
      GITHUB_PULL_REQUEST_TOPIC,
      {
        action: 'opened',
        repository: repository('https://github.com/acme/apps'),
      },
    ],
  ])('ignores %s', (_, topic, payload) => {
    expect(
      describeAppsRepositoryEvent(topic, payload, watched),
    ).toBeUndefined();
  });
});
