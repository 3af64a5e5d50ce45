import { randomUUID } from 'node:crypto';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CreateRestoreRequest,
  DatabaseRef,
  RestoreRequest,
  RestoreState,
  dbaasDatabaseReadPermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import {
  RestoreCallContext,
  RestoreCaller,
  RestoreDeciders,
} from './RestoreDeciders';
import { RestoreDecisions } from './RestoreDecisions';
import { RestoreEvents } from './RestoreEvents';
import { RestoreTargetPlanner } from './RestoreTargetPlanner';
import { allowedRestoreActions } from './allowedRestoreActions';
import { checkCreateBody } from './restoreRequestBodies';
import { approvalsRequiredFor, restoreFingerprint } from './requestIdentity';
import { RestoreRecord } from './store/RestoreRecord';
import { RestoreStore } from './store/RestoreStore';
import { toRestoreRequest } from './toRestoreRequest';

export type { RestoreCallContext } from './RestoreDeciders';

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
      now?: () => Date;
      newId?: () => string;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.decisions = new RestoreDecisions({
      store: options.store,
      deciders: options.deciders,
      events: options.events,
      now: this.now,
      require: id => this.require(id),
      view: (record, caller, credentials) =>
        this.view(record, caller, credentials),
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
          snapshotId: body.snapshotId,
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
        const snapshot = await this.options.snapshots.getRestorable(
          { ...ref, databaseName: database.databaseName, cluster },
          body.snapshotId,
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
          },
          [
            {
              at: now,
              level: 'info',
              message: `${caller.userEntityRef} asked to restore snapshot ${
                snapshot.id
              } (${snapshot.createdAt}) ${
                body.target === 'in-place'
                  ? `in place into ${targetDatabaseName}`
                  : `into the new database ${targetDatabaseName}`
              }: ${body.reason.trim()}`,
            },
            ...warnings.map(message => ({
              at: now,
              level: 'warning' as const,
              message,
            })),
          ],
        );
        await events.notify(
          record,
          `Restore of ${record.databaseName} requested by ${record.requestedBy}`,
          {
            description: `${record.reason} — needs ${
              record.approvalsRequired
            } approval(s) before ${record.expiresAt.toISOString()}`,
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

  /** Expires requests that were not approved and started in time. */
  expireDue(): Promise<number> {
    return this.decisions.expireDue();
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
        })
      : [];
    return toRestoreRequest(record, log, allowed);
  }
}
