import {
  DatabaseRef,
  isSameDatabase,
  findCollision,
} from '@dbaas/plugin-dbaas-common';
import { DefinedDatabase, findDefinedDatabases } from '../definitions';
import { AppsRepository, OpenChange } from '../appsRepo/types';

/**
 * A database defined on the base branch, or requested by an open pull
 * request of the suite.
 *
 * @public
 */
export interface KnownDatabase extends DefinedDatabase {
  /** Set when the database is only in an open pull request. */
  openChange?: Pick<OpenChange, 'number' | 'url' | 'branchName'>;
}

/**
 * What the apps repository holds and what its open pull requests add, read
 * in one pass, for uniqueness and collision checks and to find the folder
 * of an existing database.
 *
 * @public
 */
export class RequestedDatabases {
  static async read(
    appsRepo: AppsRepository,
    basePath: string,
  ): Promise<RequestedDatabases> {
    const [files, openChanges] = await Promise.all([
      appsRepo.listDefinitionFiles(),
      appsRepo.listOpenChanges(),
    ]);
    const defined = findDefinedDatabases(files, basePath).databases;
    const requested = openChanges.flatMap(change =>
      findDefinedDatabases(change.files, basePath).databases.map(db => ({
        ...db,
        openChange: {
          number: change.number,
          url: change.url,
          branchName: change.branchName,
        },
      })),
    );
    return new RequestedDatabases(defined, requested, appsRepo.baseBranch);
  }

  private constructor(
    readonly defined: KnownDatabase[],
    readonly requested: KnownDatabase[],
    private readonly baseBranch: string,
  ) {}

  /** The database itself, on the base branch first, else in an open pull request. */
  find(ref: DatabaseRef): KnownDatabase | undefined {
    return (
      this.defined.find(db => isSameDatabase(db, ref)) ??
      this.requested.find(db => isSameDatabase(db, ref))
    );
  }

  /** Another database that would get the same `<namespace>-<name>`. */
  findCollision(ref: DatabaseRef): KnownDatabase | undefined {
    return findCollision(ref, [...this.defined, ...this.requested]);
  }

  /** Where a known database is, in words, for error messages. */
  describeWhere(db: KnownDatabase): string {
    return db.openChange
      ? `requested in pull request #${db.openChange.number} (${db.openChange.url})`
      : `defined in ${db.path} on ${this.baseBranch}`;
  }
}
