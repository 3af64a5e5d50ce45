import { parseGitHubRepoUrl } from './repoUrl';

describe('parseGitHubRepoUrl', () => {
  it.each([
    ['https://github.com/acme/apps', 'github.com'],
    ['https://github.com/acme/apps.git', 'github.com'],
    ['github.com/acme/apps', 'github.com'],
    ['github.com?owner=acme&repo=apps', 'github.com'],
    ['https://ghe.example.com:8443/acme/apps', 'ghe.example.com:8443'],
  ])('parses %s', (url, host) => {
    expect(parseGitHubRepoUrl(url)).toEqual({
      host,
      owner: 'acme',
      repo: 'apps',
    });
  });

  it.each([
    '',
    'https://github.com/acme',
    'https://github.com/a/b/c',
    'github.com?owner=a&repo=b%2F..',
  ])('refuses %j', url => {
    expect(() => parseGitHubRepoUrl(url)).toThrow(
      /Invalid GitHub repository URL/,
    );
  });
});
