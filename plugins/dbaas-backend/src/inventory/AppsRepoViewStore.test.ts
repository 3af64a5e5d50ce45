import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseAppsRepoViewStore } from './AppsRepoViewStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('DatabaseAppsRepoViewStore', () => {
  it('knows nothing before the first cycle, then the latest view, shared by replicas', async () => {
    const knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const one = new DatabaseAppsRepoViewStore(knex);
    const other = new DatabaseAppsRepoViewStore(knex);
    expect(await one.last()).toBeUndefined();

    const first = new Date('2026-12-08T10:00:00.000Z');
    await one.record({
      syncedAt: first,
      baseBranch: 'main',
      baseSha: 'a'.repeat(40),
    });
    expect(await other.last()).toEqual({
      syncedAt: first,
      baseBranch: 'main',
      baseSha: 'a'.repeat(40),
    });

    // A repository that cannot tell its head, or tells something else.
    const second = new Date('2026-12-08T10:01:00.000Z');
    await other.record({
      syncedAt: second,
      baseBranch: 'main',
      baseSha: 'not a sha',
    });
    expect(await one.last()).toEqual({ syncedAt: second, baseBranch: 'main' });
    expect(await knex('dbaas_apps_repo_views').count({ n: '*' })).toEqual([
      { n: '1' },
    ]);
  });
});
