import { randomUUID } from 'node:crypto';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CreateRestoreRequest,
  DatabaseRef,
  DeleteRestoredCopyRequest,
  RestoredCopy,
  FinalizeRestoreRequest,
  RestorePreview,
  RestoreRequest,
  RestoreState,
  dbaasDatabaseReadPermission,
  dbaasRestoreRequestPermission,
  formatDuration,
} from '@dbaas/plugin-dbaas-common';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { parsePointInTime } from '../snapshots/pointInTime';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import {
  RestoreCallContext,
  RestoreCaller,
  RestoreDeciders,
} from './RestoreDeciders';
import { RestoreDecisions } from './RestoreDecisions';
import { RestoreEvents } from './RestoreEvents';
import { RestoreFinalizations } from './RestoreFinalizations';
import { FinalizeSettings } from './RestoreSettings';
import { RestoreTargetPlanner } from './RestoreTargetPlanner';
import { allowedRestoreActions } from './allowedRestoreActions';
import { checkCreateBody } from './restoreRequestBodies';
import { approvalsRequiredFor, restoreFingerprint } from './requestIdentity';
import { RestoreRecord } from './store/RestoreRecord';
import { RestoredCopiesService } from './copies/RestoredCopiesService';
import { RestoreStore } from './store/RestoreStore';
import { toRestoreRequest } from './toRestoreRequest';
import { readableEntity, readableTime } from '../notifications/readable';

export type { RestoreCallContext } from './RestoreDeciders';

/** The preview of a request, undefined before its `preview` step (RestorePreviewer). */
export interface RestorePreviewReader {
  read(record: RestoreRecord): Promise<RestorePreview | undefined>;
}

/** Only these can be restored: they exist in the cluster with their roles. */
const RESTORABLE_STATUSES = ['ready', 'orphaned'];

/**
 * Restore requests and the approval flow, the same for the REST API and
 * the MCP actions: requesting, reading (what the caller may read, with
 * what they may do), approving, rejecting, cancelling, and expiring
 * requests nobody acted on in time. Running them is the executor's job.
 */
export class RestoresService {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly decisions: RestoreDecisions;
  private readonly finalizations: RestoreFinalizations;

  constructor(
    private readonly options: {
      store: RestoreStore;
      inventory: InventoryStore;
      clusters: ClusterSettings[];
      snapshots: SnapshotCatalog;
      access: DatabaseAccess;
      deciders: RestoreDeciders;
      planner: RestoreTargetPlanner;
      events: RestoreEvents;
      requestTtlMs: number;
      logger: LoggerService;
      /**
       * `dbaas.restore.finalize`: in-place restores of these modes stop in
       * `awaiting-finalize` after a preview. None do without it.
       */
      finalize?: FinalizeSettings;
      /** Serves `GET /restores/:id/preview`. */
      previews?: RestorePreviewReader;
      /**
       * The copies `new-database` restores create: `copy` of a restore, and
       * `GET`/`DELETE /restores/:id/copy`, `POST /restores/:id/copy/keep`.
       */
      copies?: RestoredCopiesService;
      /**
       * Asks this replica's worker to drive due restores at once (after a
       * finalize, a cancel or an expiry), rather than at its next tick.
       */
      startWork?: () => void;
      now?: () => Date;
      newId?: () => string;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    const shared = {
      store: options.store,
      deciders: options.deciders,
      events: options.events,
      now: this.now,
      require: (id: string) => this.require(id),
      view: (
        record: RestoreRecord,
        caller: RestoreCaller | undefined,
        credentials: BackstageCredentials,
      ) => this.view(record, caller, credentials),
      startWork: options.startWork,
    };
    this.decisions = new RestoreDecisions(shared);
    this.finalizations = new RestoreFinalizations({
      ...shared,
      access: options.access,
    });
  }

  async create(
    ref: DatabaseRef,
    body: CreateRestoreRequest,
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { store, inventory, access, deciders, events } = this.options;
    checkRef(ref);
    checkCreateBody(body);
    const caller = await deciders.requireUser(context.credentials);
    return events.audited(
      {
        eventId: 'restore-request',
        actor: caller.userEntityRef,
        request: context.request,
        meta: {
          database: `${ref.namespace}/${ref.name}`,
          ...(body.pointInTime !== undefined
            ? { pointInTime: body.pointInTime }
            : { snapshotId: body.snapshotId }),
          target: body.target,
        },
      },
      async () => {
        await access.assertDatabase(
          dbaasRestoreRequestPermission,
          ref,
          context.credentials,
        );
        const database = await inventory.getDatabase(ref);
        if (!database) {
          throw new NotFoundError(
            `Database ${ref.namespace}/${ref.name} is not in the inventory`,
          );
        }
        if (database.status === 'restored') {
          throw new ConflictError(
            `Database ${ref.namespace}/${ref.name} is a restored copy; keep it (and let its pull request merge) before restoring into or from it, or restore from the original`,
          );
        }
        if (!RESTORABLE_STATUSES.includes(database.status)) {
          throw new ConflictError(
            `Database ${ref.namespace}/${ref.name} is ${database.status}; only ready or orphaned databases can be restored`,
          );
        }
        const cluster = this.options.clusters.find(
          c => c.name === database.cluster,
        );
        if (!cluster) {
          throw new ConflictError(
            `Database ${ref.namespace}/${
              ref.name
            } is on no configured cluster (${database.cluster ?? 'none'})`,
          );
        }
        const subject = {
          ...ref,
          databaseName: database.databaseName,
          cluster,
        };
        // A point in time is recorded as `pitr:<moment>`, like a snapshot.
        const snapshot =
          body.pointInTime !== undefined
            ? await this.options.snapshots.getRestorablePointInTime(
                subject,
                parsePointInTime(body.pointInTime),
              )
            : await this.options.snapshots.getRestorable(
                subject,
                body.snapshotId!,
              );
        const now = this.now();
        const { targetDatabaseName, warnings } =
          await this.options.planner.plan(database, cluster, body, now);
        const identity = {
          databaseName: database.databaseName,
          snapshotId: snapshot.id,
          target: body.target,
          targetDatabaseName,
        };
        const finalize =
          body.target === 'in-place'
            ? this.options.finalize?.[database.mode]
            : undefined;
        const record = await store.create(
          {
            id: this.newId(),
            namespace: ref.namespace,
            name: ref.name,
            databaseName: database.databaseName,
            cluster: cluster.name,
            mode: database.mode,
            snapshotId: snapshot.id,
            snapshotCreatedAt: new Date(snapshot.createdAt),
            target: body.target,
            targetDatabaseName,
            reason: body.reason.trim(),
            requestedBy: caller.userEntityRef,
            requestedAt: now,
            expiresAt: new Date(now.getTime() + this.options.requestTtlMs),
            fingerprint: restoreFingerprint(identity),
            approvalsRequired: approvalsRequiredFor(database.mode, body.target),
            finalizeRequired: finalize?.required ?? false,
            finalizeTimeLimitMs: finalize?.required
              ? finalize.timeLimitMs
              : undefined,
          },
          [
            {
              at: now,
              level: 'info',
              message: `${caller.userEntityRef} asked to restore ${
                body.pointInTime !== undefined
                  ? `the database as it was at ${snapshot.createdAt}`
                  : `snapshot ${snapshot.id} (${snapshot.createdAt})`
              } ${
                body.target === 'in-place'
                  ? `in place into ${targetDatabaseName}`
                  : `into the new database ${targetDatabaseName}`
              }: ${body.reason.trim()}`,
            },
            ...(finalize?.required
              ? [
                  {
                    at: now,
                    level: 'info' as const,
                    message: `The swap waits for a preview to be finalized (${
                      database.mode === 'protected'
                        ? 'by an approver'
                        : 'by the requester'
                    }, within ${formatDuration(finalize.timeLimitMs / 1000)})`,
                  },
                ]
              : []),
            ...warnings.map(message => ({
              at: now,
              level: 'warning' as const,
              message,
            })),
          ],
        );
        await events.notify(
          record,
          `Restore of ${record.databaseName} requested by ${readableEntity(
            record.requestedBy,
          )}`,
          {
            description: `${record.reason} — needs ${
              record.approvalsRequired
            } approval(s) before ${readableTime(record.expiresAt)}`,
          },
        );
        return this.view(record, caller, context.credentials);
      },
      result => ({ restoreId: result.id, state: result.state }),
    );
  }

  /** Requests of databases the caller may read, newest first. */
  async list(
    filter: { status?: RestoreState; namespace?: string; name?: string },
    credentials: BackstageCredentials,
  ): Promise<RestoreRequest[]> {
    const records = await this.options.store.list({
      state: filter.status,
      namespace: filter.namespace,
      name: filter.name,
    });
    const readable = await this.options.access.filterReadable(
      records,
      credentials,
    );
    const caller = await this.options.deciders.identify(credentials);
    return Promise.all(
      readable.map(record => this.view(record, caller, credentials)),
    );
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<RestoreRequest> {
    const record = await this.require(id);
    await this.options.access.assertDatabase(
      dbaasDatabaseReadPermission,
      record,
      credentials,
    );
    const caller = await this.options.deciders.identify(credentials);
    return this.view(record, caller, credentials);
  }

  approve(
    id: string,
    body: { comment?: string; fingerprint?: string },
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    return this.decisions.approve(id, body, context);
  }

  reject(
    id: string,
    body: { reason: string },
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    return this.decisions.reject(id, body, context);
  }

  cancel(id: string, context: RestoreCallContext): Promise<RestoreRequest> {
    return this.decisions.cancel(id, context);
  }

  /**
   * The preview of an in-place restore: per table, rows at the snapshot
   * and now, tables and columns added or dropped since. Readable as the
   * request is; 404 before its `preview` step ran.
   */
  async preview(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<RestorePreview> {
    const record = await this.require(id);
    await this.options.access.assertDatabase(
      dbaasDatabaseReadPermission,
      record,
      credentials,
    );
    const preview = await this.options.previews?.read(record);
    if (!preview) {
      throw new NotFoundError(
        record.target === 'in-place' && record.finalizeRequired
          ? `Restore request ${id} has no preview yet (${record.state})`
          : `Restore request ${id} has no preview: only in-place restores that wait to be finalized have one`,
      );
    }
    return preview;
  }

  /** Lets an in-place restore awaiting finalize swap its copy in. */
  finalize(
    id: string,
    body: FinalizeRestoreRequest | undefined,
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    return this.finalizations.finalize(id, body, context);
  }

  /**
   * Expires requests that were not approved and started in time, and sends
   * those not finalized in time to their cleanup.
   */
  async expireDue(): Promise<number> {
    return (
      (await this.decisions.expireDue()) +
      (await this.finalizations.expireOverdue())
    );
  }

  /** The copy a `new-database` restore created (404 when none). */
  async getCopy(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<RestoredCopy> {
    return this.requireCopies().get(id, credentials);
  }

  /** Keeps a restored copy: a pull request adds it to the apps repository. */
  keepCopy(id: string, context: RestoreCallContext): Promise<RestoredCopy> {
    return this.requireCopies().keep(id, context);
  }

  /** Drops a restored copy now, with its roles and secrets. */
  deleteCopy(
    id: string,
    body: DeleteRestoredCopyRequest | undefined,
    context: RestoreCallContext,
  ): Promise<RestoredCopy> {
    return this.requireCopies().deleteNow(id, body, context);
  }

  private requireCopies(): RestoredCopiesService {
    if (!this.options.copies) {
      throw new NotFoundError('Restored copies are not served by this backend');
    }
    return this.options.copies;
  }

  private async require(id: string): Promise<RestoreRecord> {
    const record = await this.options.store.get(id);
    if (!record) {
      throw new NotFoundError(`No restore request ${id}`);
    }
    return record;
  }

  private async view(
    record: RestoreRecord,
    caller: RestoreCaller | undefined,
    credentials: BackstageCredentials,
  ): Promise<RestoreRequest> {
    const log = await this.options.store.getLog(record.id);
    const allowed = caller
      ? await allowedRestoreActions(record, caller.userEntityRef, {
          now: this.now(),
          isApprover: () =>
            this.options.deciders.isApprover(caller, credentials),
          mayFinalize: () =>
            this.finalizations.mayFinalize(record, caller, credentials),
        })
      : [];
    const view = toRestoreRequest(record, log, allowed);
    if (
      this.options.copies &&
      record.target === 'new-database' &&
      record.state === 'succeeded'
    ) {
      await this.options.copies.recordNew();
      const copy = await this.options.copies.forRestore(record.id, credentials);
      if (copy) {
        view.copy = copy;
      }
    }
    return view;
  }
}
