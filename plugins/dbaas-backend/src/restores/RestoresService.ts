import { randomUUID } from 'node:crypto';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  CreateRestoreRequest,
  DatabaseRef,
  RestoreRequest,
  RestoreState,
  dbaasDatabaseReadPermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import type { Request } from 'express';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { RestoreCaller, RestoreDeciders } from './RestoreDeciders';
import { RestoreEvents } from './RestoreEvents';
import { RestoreTargetPlanner } from './RestoreTargetPlanner';
import { allowedRestoreActions } from './allowedRestoreActions';
import { checkCreateBody, optionalText } from './restoreRequestBodies';
import { approvalsRequiredFor, restoreFingerprint } from './requestIdentity';
import { RestoreRecord } from './store/RestoreRecord';
import { RestoreStore } from './store/RestoreStore';
import { toRestoreRequest } from './toRestoreRequest';

/** Who is calling, and the HTTP request when it came through the REST API. */
export interface RestoreCallContext {
  credentials: BackstageCredentials;
  request?: Request<any, any, any, any, any>;
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

  async approve(
    id: string,
    body: { comment?: string; fingerprint?: string },
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { store, deciders, events } = this.options;
    const caller = await deciders.requireUser(context.credentials);
    const record = await this.require(id);
    const own = caller.userEntityRef === record.requestedBy;
    const comment = optionalText(body?.comment, 'comment');
    return events.audited(
      {
        eventId: 'restore-approve',
        // Trying to approve one's own restore is what an attacker would do.
        severityLevel: own ? 'high' : 'medium',
        actor: caller.userEntityRef,
        request: context.request,
        meta: { restoreId: id, database: record.databaseName },
      },
      async () => {
        if (own) {
          throw new NotAllowedError(
            'Nobody approves their own restore request; ask another approver',
          );
        }
        await this.assertDecider(caller, context.credentials);
        const fingerprint = restoreFingerprint(record);
        if (
          body?.fingerprint !== undefined &&
          body.fingerprint !== fingerprint
        ) {
          throw new ConflictError(
            'The request is no longer the one you reviewed (its fingerprint differs); reload it',
          );
        }
        const now = this.now();
        const outcome = await store.addApproval(
          id,
          { by: caller.userEntityRef, at: now, comment, fingerprint },
          now,
          [
            {
              at: now,
              level: 'info',
              message: `Approved by ${caller.userEntityRef}${
                comment ? `: ${comment}` : ''
              }`,
            },
          ],
        );
        switch (outcome.kind) {
          case 'missing':
            throw new NotFoundError(`No restore request ${id}`);
          case 'expired':
            await this.expired(outcome.record);
            throw new ConflictError(
              `Restore request ${id} expired at ${outcome.record.expiresAt.toISOString()}`,
            );
          case 'not-pending':
            throw new ConflictError(
              `Restore request ${id} is ${outcome.record.state}; only pending requests can be approved`,
            );
          case 'changed':
            throw new ConflictError(
              `Restore request ${id} changed after it was made; its approvals are void`,
            );
          case 'duplicate':
            throw new ConflictError(
              `You already approved restore request ${id}; another approver is needed`,
            );
          default:
        }
        const updated = outcome.record;
        await events.notify(
          updated,
          updated.state === 'approved'
            ? `Restore of ${updated.databaseName} approved: it starts shortly`
            : `Restore of ${updated.databaseName}: ${updated.approvals.length} of ${updated.approvalsRequired} approvals`,
          { description: comment },
        );
        return this.view(updated, caller, context.credentials);
      },
      result => ({ state: result.state }),
    );
  }

  async reject(
    id: string,
    body: { reason: string },
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { deciders, events } = this.options;
    const caller = await deciders.requireUser(context.credentials);
    const record = await this.require(id);
    const reason = optionalText(body?.reason, 'reason');
    if (!reason) {
      throw new InputError('A rejection needs a reason');
    }
    return events.audited(
      {
        eventId: 'restore-reject',
        actor: caller.userEntityRef,
        request: context.request,
        meta: { restoreId: id, database: record.databaseName },
      },
      async () => {
        if (caller.userEntityRef === record.requestedBy) {
          throw new NotAllowedError(
            'You cannot reject your own restore request; cancel it instead',
          );
        }
        await this.assertDecider(caller, context.credentials);
        const updated = await this.decide(record, ['pending-approval'], {
          state: 'rejected',
          decision: { by: caller.userEntityRef, reason },
          message: `Rejected by ${caller.userEntityRef}: ${reason}`,
        });
        await events.notify(
          updated,
          `Restore of ${updated.databaseName} rejected by ${caller.userEntityRef}`,
          { description: reason },
        );
        return this.view(updated, caller, context.credentials);
      },
    );
  }

  async cancel(
    id: string,
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { deciders, events } = this.options;
    const caller = await deciders.requireUser(context.credentials);
    const record = await this.require(id);
    return events.audited(
      {
        eventId: 'restore-cancel',
        actor: caller.userEntityRef,
        request: context.request,
        meta: { restoreId: id, database: record.databaseName },
      },
      async () => {
        if (
          caller.userEntityRef !== record.requestedBy &&
          !(await deciders.isApprover(caller, context.credentials))
        ) {
          throw new NotAllowedError(
            'Only the requester or an approver may cancel a restore request',
          );
        }
        const updated = await this.decide(
          record,
          ['pending-approval', 'approved'],
          {
            state: 'cancelled',
            decision: { by: caller.userEntityRef },
            message: `Cancelled by ${caller.userEntityRef}`,
          },
        );
        await events.notify(
          updated,
          `Restore of ${updated.databaseName} cancelled by ${caller.userEntityRef}`,
        );
        return this.view(updated, caller, context.credentials);
      },
    );
  }

  /** Expires requests that were not approved and started in time. */
  async expireDue(): Promise<number> {
    const expired = await this.options.store.expireDue(this.now());
    for (const record of expired) {
      await this.expired(record);
    }
    return expired.length;
  }

  private async expired(record: RestoreRecord) {
    await this.options.events.record({
      eventId: 'restore-expire',
      meta: { restoreId: record.id, database: record.databaseName },
    });
    await this.options.events.notify(
      record,
      `Restore of ${record.databaseName} expired before it could run`,
    );
  }

  private async decide(
    record: RestoreRecord,
    from: RestoreState[],
    change: {
      state: 'rejected' | 'cancelled';
      decision: { by: string; reason?: string };
      message: string;
    },
  ): Promise<RestoreRecord> {
    const now = this.now();
    const decision = { ...change.decision, at: now };
    const updated = await this.options.store.transition(
      record.id,
      from,
      {
        state: change.state,
        finishedAt: now,
        ...(change.state === 'rejected'
          ? { rejection: decision }
          : { cancellation: decision }),
      },
      now,
      [{ at: now, level: 'info', message: change.message }],
    );
    if (!updated) {
      const current = await this.require(record.id);
      throw new ConflictError(
        `Restore request ${record.id} is ${current.state}; it can no longer be ${change.state}`,
      );
    }
    return updated;
  }

  private async assertDecider(
    caller: RestoreCaller,
    credentials: BackstageCredentials,
  ) {
    const refusal = await this.options.deciders.refusal(caller, credentials);
    if (refusal) {
      throw new NotAllowedError(refusal);
    }
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
