import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import { databasePageUrl } from '../../createActionEnvironment';
import { browsableUrl } from './proposeDatabaseChange';

const names = deriveDatabaseNames('payments', 'orders');
const sha = 'a'.repeat(40);

describe('browsableUrl', () => {
  it('keeps a pull request URL as it is', () => {
    const url = 'https://github.com/acme/apps/pull/12';
    expect(
      browsableUrl(url, names, ref =>
        databasePageUrl('http://portal', { ...ref }),
      ),
    ).toBe(url);
  });

  it("turns a local repository's file:// URL into the database's portal page, naming the commit", () => {
    expect(
      browsableUrl(`file:///tmp/apps#${sha}`, names, ref =>
        databasePageUrl('http://localhost:3000/', ref),
      ),
    ).toBe(
      `http://localhost:3000/dbaas/databases/payments/orders?change=${sha}`,
    );
  });

  it('falls back to a path within the portal without app.baseUrl', () => {
    expect(browsableUrl(`file:///tmp/apps#${sha}`, names)).toBe(
      `/dbaas/databases/payments/orders?change=${sha}`,
    );
    expect(browsableUrl('file:///tmp/apps', names)).toBe(
      '/dbaas/databases/payments/orders',
    );
  });
});
