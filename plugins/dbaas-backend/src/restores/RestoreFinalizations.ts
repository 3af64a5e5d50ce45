import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  FinalizeRestoreRequest,
  RestoreRequest,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { RestoreCallContext, RestoreCaller } from './RestoreDeciders';
import { RestoreDecisionContext } from './RestoreDecisions';
import { optionalText } from './restoreRequestBodies';
import { RestoreRecord } from './store/RestoreRecord';
import { finalizeExpiryLine } from './store/RestoreStore';
import { readableEntity } from '../notifications/readable';

/**
 * The finalize of in-place restores that stopped in `awaiting-finalize`
 * after their preview: who may let the swap run, the single winner of
 * concurrent calls, and the expiry of those not finalized in time (their
 * scratch copy is dropped by the workflow's cleanup; the live database is
 * never touched).
 *
 * A standard database's restore is finalized by its requester, who must
 * still hold `dbaas.restore.request` on the database; a protected
 * database's by an approver (the same rules as approving), never by the
 * requester.
 */
export class RestoreFinalizations {
  constructor(
    private readonly options: RestoreDecisionContext & {
      access: DatabaseAccess;
    },
  ) {}

  async finalize(
    id: string,
    body: FinalizeRestoreRequest | undefined,
    context: RestoreCallContext,
  ): Promise<RestoreRequest> {
    const { store, deciders, events } = this.options;
    const caller = await deciders.requireUser(context.credentials);
    const record = await this.options.require(id);
    const comment = optionalText(body?.comment, 'comment');
    const own = caller.userEntityRef === record.requestedBy;
    return events.audited(
      {
        eventId: 'restore-finalize',
        // The requester finalizing their own protected restore is what
        // taking the approvers out of the loop would look like.
        severityLevel: own && record.mode === 'protected' ? 'high' : 'medium',
        actor: caller.userEntityRef,
        request: context.request,
        meta: { restoreId: id, database: record.databaseName },
      },
      async () => {
        const refusal = await this.refusal(record, caller, context.credentials);
        if (refusal) {
          throw new NotAllowedError(refusal);
        }
        const now = this.options.now();
        const outcome = await store.finalize(
          id,
          { by: caller.userEntityRef, at: now, comment },
          now,
          [
            {
              at: now,
              level: 'info',
              message: `Finalized by ${caller.userEntityRef}${
                comment ? `: ${comment}` : ''
              }; the swap runs next`,
            },
          ],
        );
        switch (outcome.kind) {
          case 'missing':
            throw new NotFoundError(`No restore request ${id}`);
          case 'expired':
            await this.expired(outcome.record);
            throw new ConflictError(
              `Restore request ${id} passed its finalize deadline (${record.finalizeDeadline?.toISOString()}); the restored copy is being dropped`,
            );
          case 'not-awaiting': {
            const done = outcome.record.finalization;
            throw new ConflictError(
              done
                ? `Restore request ${id} was already finalized by ${
                    done.by
                  } at ${done.at.toISOString()}`
                : `Restore request ${id} is ${outcome.record.state}; only a restore awaiting finalize can be finalized`,
            );
          }
          default:
        }
        await events.notify(
          outcome.record,
          `Restore of ${record.databaseName} finalized by ${readableEntity(
            caller.userEntityRef,
          )}: the swap runs now`,
          { description: comment },
        );
        this.options.startWork?.();
        return this.options.view(outcome.record, caller, context.credentials);
      },
      result => ({ state: result.state }),
    );
  }

  /**
   * Why the caller may not finalize this request, whatever its state (the
   * state is the store's to check, under the row lock).
   */
  async refusal(
    record: RestoreRecord,
    caller: RestoreCaller,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    const own = caller.userEntityRef === record.requestedBy;
    if (record.mode === 'protected') {
      if (own) {
        return `${record.databaseName} is protected: an approver finalizes its restore, never its requester alone`;
      }
      return this.options.deciders.refusal(caller, credentials);
    }
    if (!own) {
      return `Only the requester (${record.requestedBy}) finalizes this restore; approvers may cancel it`;
    }
    try {
      await this.options.access.assertDatabase(
        dbaasRestoreRequestPermission,
        record,
        credentials,
      );
    } catch (error) {
      if (error instanceof NotAllowedError) {
        return error.message;
      }
      throw error;
    }
    return undefined;
  }

  /** Whether the caller may finalize it now (for the UI's button). */
  async mayFinalize(
    record: RestoreRecord,
    caller: RestoreCaller,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    return (
      record.state === 'awaiting-finalize' &&
      (record.finalizeDeadline?.getTime() ?? 0) >
        this.options.now().getTime() &&
      (await this.refusal(record, caller, credentials)) === undefined
    );
  }

  /**
   * Sends the requests past their finalize deadline to their cleanup
   * (which drops the scratch copy and ends them `expired`).
   */
  async expireOverdue(): Promise<number> {
    const { store } = this.options;
    const now = this.options.now();
    let expired = 0;
    for (const id of await store.findFinalizeOverdue(now)) {
      const record = await store.discardAwaiting(
        id,
        { outcome: 'expired' },
        now,
        [finalizeExpiryLine(now)],
      );
      if (record) {
        await this.expired(record);
        expired += 1;
      }
    }
    if (expired > 0) {
      this.options.startWork?.();
    }
    return expired;
  }

  private async expired(record: RestoreRecord) {
    await this.options.events.record({
      eventId: 'restore-expire',
      meta: {
        restoreId: record.id,
        database: record.databaseName,
        stage: 'awaiting-finalize',
        ...(record.finalizeDeadline
          ? { finalizeDeadline: record.finalizeDeadline.toISOString() }
          : {}),
      },
    });
    await this.options.events.notify(
      record,
      `Restore of ${record.databaseName} was not finalized in time`,
      {
        severity: 'high',
        description: `The restored copy is being dropped; ${record.databaseName} stays as it is.`,
      },
    );
  }
}
