import { Knex } from 'knex';

/** What the inventory last read of the apps repository. */
export interface AppsRepoView {
  /** When the inventory cycle that read it completed. */
  syncedAt: Date;
  baseBranch: string;
  /** The base head whose definitions were read, when the repository tells. */
  baseSha?: string;
}

/**
 * Remembers, across replicas, when the inventory last completed a cycle and
 * at which head of the base branch: request checks answer from the
 * inventory only once it has synced, and build on that head.
 */
export interface AppsRepoViewStore {
  record(view: AppsRepoView): Promise<void>;
  /** `undefined` until the first cycle completes. */
  last(): Promise<AppsRepoView | undefined>;
}

const TABLE = 'dbaas_apps_repo_views';
const REPOSITORY = 'default';
const SHA = /^[0-9a-f]{40,64}$/;

/** {@link AppsRepoViewStore} in the plugin's database. */
export class DatabaseAppsRepoViewStore implements AppsRepoViewStore {
  constructor(private readonly knex: Knex) {}

  async record(view: AppsRepoView): Promise<void> {
    await this.knex(TABLE)
      .insert({
        repository: REPOSITORY,
        synced_at: view.syncedAt,
        base_branch: view.baseBranch,
        base_sha: view.baseSha && SHA.test(view.baseSha) ? view.baseSha : null,
      })
      .onConflict('repository')
      .merge();
  }

  async last(): Promise<AppsRepoView | undefined> {
    const row = await this.knex(TABLE)
      .where({ repository: REPOSITORY })
      .first();
    if (!row) return undefined;
    return {
      syncedAt: new Date(row.synced_at),
      baseBranch: row.base_branch,
      ...(row.base_sha ? { baseSha: row.base_sha } : {}),
    };
  }
}
