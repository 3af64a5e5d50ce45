import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import type { Request } from 'express';
import { RestoreRecord } from './store/RestoreRecord';
import { auditedCall } from '../audit/auditedCall';

/** What the auditor is told about one restore decision or step. */
export interface RestoreAuditEvent {
  eventId:
    | 'restore-request'
    | 'restore-approve'
    | 'restore-reject'
    | 'restore-cancel'
    | 'restore-finalize'
    | 'restore-expire'
    | 'restore-run'
    | 'restore-safety-copy-drop';
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The user acting; absent for the workflow itself. */
  actor?: string;
  /** The HTTP request, when the decision came through the REST API. */
  request?: Request<any, any, any, any, any>;
  meta?: JsonObject;
}

/**
 * Audit events and notifications of the restore flow. Neither ever holds a
 * password: requests carry names, reasons and step messages only.
 */
export class RestoreEvents {
  constructor(
    private readonly options: {
      auditor: AuditorService;
      notifications?: NotificationService;
      logger: LoggerService;
      /** `dbaas.restore.approvers`: told about every request. */
      approverGroups: string[];
    },
  ) {}

  /**
   * Runs `fn` inside an audit event: success with what it returned, or
   * failure with the error (refusals included: a 403 is audited too).
   */
  async audited<T>(
    event: RestoreAuditEvent,
    fn: () => Promise<T>,
    describe?: (result: T) => JsonObject,
  ): Promise<T> {
    return auditedCall(this.options.auditor, event, fn, describe);
  }

  /**
   * One event for something that already happened (workflow outcomes,
   * expiry); a failure when `error` is given.
   */
  async record(event: RestoreAuditEvent, error?: Error): Promise<void> {
    await this.audited(event, async () => {
      if (error) {
        throw error;
      }
    }).catch(thrown => {
      if (thrown !== error) {
        throw thrown;
      }
    });
  }

  /**
   * Tells the requester, the approver groups and whoever already decided
   * on the request. Failing to notify never fails the flow.
   */
  async notify(
    record: RestoreRecord,
    title: string,
    options: {
      description?: string;
      severity?: 'critical' | 'high' | 'normal' | 'low';
    } = {},
  ): Promise<void> {
    const { notifications, logger, approverGroups } = this.options;
    if (!notifications) {
      return;
    }
    const recipients = [
      ...new Set([
        record.requestedBy,
        ...approverGroups,
        ...record.approvals.map(a => a.by),
        ...(record.rejection ? [record.rejection.by] : []),
        ...(record.cancellation ? [record.cancellation.by] : []),
        ...(record.finalization ? [record.finalization.by] : []),
      ]),
    ];
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title,
          description: options.description,
          // The database's page, where its restores are listed.
          link: `/catalog/default/resource/${
            deriveDatabaseNames(record.namespace, record.name).entityName
          }`,
          severity: options.severity ?? 'normal',
          topic: 'dbaas-restore',
          scope: `dbaas:restore:${record.id}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify ${recipients.join(', ')} about restore ${
          record.id
        }: ${error}`,
      );
    }
  }
}
