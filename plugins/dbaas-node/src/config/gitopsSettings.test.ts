import { ConfigReader } from '@backstage/config';
import { readGitopsSettings } from './gitopsSettings';

const read = (gitops: object) =>
  readGitopsSettings(new ConfigReader({ dbaas: { gitops } }));

describe('readGitopsSettings', () => {
  const github = {
    provider: 'github',
    repoUrl: 'https://github.com/acme/apps',
  };

  it('reads the other apps repositories actions may name', () => {
    expect(read(github).allowedRepoUrls).toBeUndefined();
    expect(
      read({
        ...github,
        allowedRepoUrls: ['github.com?owner=acme&repo=apps-eu'],
      }).allowedRepoUrls,
    ).toEqual(['github.com?owner=acme&repo=apps-eu']);
  });

  it('refuses an allowed repository URL that is not one, naming the key', () => {
    expect(() =>
      read({
        ...github,
        allowedRepoUrls: ['https://github.com/acme/apps', 'acme'],
      }),
    ).toThrow(
      /dbaas\.gitops\.allowedRepoUrls\[1\]: Invalid GitHub repository URL "acme"/,
    );
  });
});
