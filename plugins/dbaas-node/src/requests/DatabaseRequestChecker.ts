import {
  DatabaseRef,
  NamingProblem,
  collisionProblem,
  existsProblem,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import { AppsRepository } from '../appsRepo/types';
import { RequestedDatabases } from './RequestedDatabases';

/**
 * Options of {@link DatabaseRequestChecker}.
 *
 * @public
 */
export interface DatabaseRequestCheckerOptions {
  appsRepo: AppsRepository;
  basePath: string;
  reservedNamespaces: readonly string[];
  /**
   * How long a read of the apps repository is reused by `check` (forms ask
   * on every pause in typing). `checkFresh` never reuses one.
   * @defaultValue 10 000 ms
   */
  cacheTtlMs?: number;
  now?: () => number;
}

/**
 * Decides whether a new database may be requested: the naming rules, then
 * whether it already exists (on the base branch or in an open pull request)
 * or collides with another database's `<namespace>-<name>`.
 *
 * @public
 */
export class DatabaseRequestChecker {
  private cached?: { at: number; value: Promise<RequestedDatabases> };

  constructor(private readonly options: DatabaseRequestCheckerOptions) {}

  /** For forms: may reuse a recent read of the apps repository. */
  async check(ref: DatabaseRef): Promise<NamingProblem[]> {
    return this.checkAgainst(ref, () => this.readCached());
  }

  /** For actions that write: reads the apps repository now. */
  async checkFresh(ref: DatabaseRef): Promise<NamingProblem[]> {
    return this.checkAgainst(ref, () => this.readNow());
  }

  /** Reads what the apps repository holds and requests now. */
  readNow(): Promise<RequestedDatabases> {
    const value = RequestedDatabases.read(
      this.options.appsRepo,
      this.options.basePath,
    );
    this.cached = { at: this.now(), value };
    // A failed read must not be served from the cache.
    value.catch(() => {
      if (this.cached?.value === value) {
        this.cached = undefined;
      }
    });
    return value;
  }

  private async checkAgainst(
    ref: DatabaseRef,
    read: () => Promise<RequestedDatabases>,
  ): Promise<NamingProblem[]> {
    const problems = validateDatabaseRequest(ref, {
      reservedNamespaces: this.options.reservedNamespaces,
    });
    if (problems.length > 0) {
      // A malformed name never reaches the apps repository.
      return problems;
    }
    const databases = await read();
    const existing = databases.find(ref);
    if (existing) {
      return [existsProblem(ref, databases.describeWhere(existing))];
    }
    const colliding = databases.findCollision(ref);
    if (colliding) {
      return [collisionProblem(ref, colliding)];
    }
    return [];
  }

  private readCached(): Promise<RequestedDatabases> {
    const ttl = this.options.cacheTtlMs ?? 10_000;
    if (this.cached && this.now() - this.cached.at < ttl) {
      return this.cached.value;
    }
    return this.readNow();
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}
