import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { RestoreRequest, RestoreState } from '@dbaas/plugin-dbaas-common';
import {
  RestoreCallContext,
  RestoreCaller,
  RestoreDeciders,
} from './RestoreDeciders';
import { RestoreEvents } from './RestoreEvents';
import { optionalText } from './restoreRequestBodies';
import { restoreFingerprint } from './requestIdentity';
import { RestoreRecord } from './store/RestoreRecord';
import { RestoreStore } from './store/RestoreStore';
import { readableEntity } from '../notifications/readable';

/**
 * What {@link RestoreDecisions} and `RestoreFinalizations` need of
 * {@link RestoresService}: the store, who may decide, the events, and the
 * request as its caller sees it.
 */
export interface RestoreDecisionContext {
  store: RestoreStore;
  deciders: RestoreDeciders;
  events: RestoreEvents;
  now: () => Date;
  /** The request, or NotFoundError. */
  require(id: string): Promise<RestoreRecord>;
  /** The request as the caller sees it, with what they may do. */
  view(
    record: RestoreRecord,
    caller: RestoreCaller | undefined,
    credentials: BackstageCredentials,
  ): Promise<RestoreRequest>;
  /** Asks this replica's worker to drive due restores now. */
  startWork?: () => void;
}

/**
 * The decisions on restore requests: approving, rejecting, cancelling,
 * and expiring those nobody acted on in time. {@link RestoresService}
 * hands these calls here; who may decide is {@link RestoreDeciders}' call.
 */
export class RestoreDecisions {
  constructor(private readonly options: RestoreDecisionContext) {}

  async approve(
    id: string,
    body: { comment?: string; fingerprint?: string },
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { store, deciders, events } = this.options;
    const caller = await deciders.requireUser(context.credentials);
    const record = await this.options.require(id);
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
        const now = this.options.now();
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
        return this.options.view(updated, caller, context.credentials);
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
    const record = await this.options.require(id);
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
          `Restore of ${updated.databaseName} rejected by ${readableEntity(
            caller.userEntityRef,
          )}`,
          { description: reason, severity: 'high' },
        );
        return this.options.view(updated, caller, context.credentials);
      },
    );
  }

  async cancel(
    id: string,
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { deciders, events } = this.options;
    const caller = await deciders.requireUser(context.credentials);
    const record = await this.options.require(id);
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
        if (record.state === 'awaiting-finalize') {
          const discarded = await this.discardAwaiting(record, caller);
          await events.notify(
            discarded,
            `Restore of ${discarded.databaseName} cancelled by ${readableEntity(
              caller.userEntityRef,
            )}`,
            {
              severity: 'low',
              description: `The restored copy is being dropped; ${discarded.databaseName} stays as it is.`,
            },
          );
          this.options.startWork?.();
          return this.options.view(discarded, caller, context.credentials);
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
          `Restore of ${updated.databaseName} cancelled by ${readableEntity(
            caller.userEntityRef,
          )}`,
          { severity: 'low' },
        );
        return this.options.view(updated, caller, context.credentials);
      },
    );
  }

  /** Expires requests that were not approved and started in time. */
  async expireDue(): Promise<number> {
    const expired = await this.options.store.expireDue(this.options.now());
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
      { severity: 'high' },
    );
  }

  /**
   * A cancel while awaiting finalize: the workflow's cleanup drops the
   * scratch copy first, then the request ends `cancelled`.
   */
  private async discardAwaiting(
    record: RestoreRecord,
    caller: RestoreCaller,
  ): Promise<RestoreRecord> {
    const now = this.options.now();
    const updated = await this.options.store.discardAwaiting(
      record.id,
      {
        outcome: 'cancelled',
        cancellation: { by: caller.userEntityRef, at: now },
      },
      now,
      [
        {
          at: now,
          level: 'info',
          message: `Cancelled by ${caller.userEntityRef} before the swap: dropping the restored copy`,
        },
      ],
    );
    if (!updated) {
      const current = await this.options.require(record.id);
      throw new ConflictError(
        `Restore request ${record.id} is ${current.state}; it can no longer be cancelled`,
      );
    }
    return updated;
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
    const now = this.options.now();
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
      const current = await this.options.require(record.id);
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
}
