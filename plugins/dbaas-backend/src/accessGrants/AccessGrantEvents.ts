import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import type { Request } from 'express';
import { AccessGrantRecord } from './AccessGrantStore';
import { auditedCall } from '../audit/auditedCall';

/** What the auditor is told about one step of a grant. */
export interface AccessAuditEvent {
  eventId:
    | 'access-request'
    | 'access-approve'
    | 'access-reject'
    | 'access-activate'
    | 'access-revoke'
    | 'access-expire'
    | 'access-role-drop';
  severityLevel?: AuditorServiceEventSeverityLevel;
  actor?: string;
  request?: Request<any, any, any, any, any>;
  meta?: JsonObject;
}

/** What an audit event and a log line may say about a grant: never a password. */
export function describeGrant(record: AccessGrantRecord): JsonObject {
  return {
    grantId: record.id,
    database: `${record.namespace}/${record.name}`,
    cluster: record.cluster,
    access: record.access,
    requestedBy: record.requestedBy,
    state: record.state,
    durationMinutes: record.durationMinutes,
    ...(record.loginRole ? { loginRole: record.loginRole } : {}),
    ...(record.validUntil
      ? { validUntil: record.validUntil.toISOString() }
      : {}),
  };
}

/**
 * Audit events and notifications of personal access. They are built from
 * grant records, which have no password: the activation's password never
 * reaches this class.
 */
export class AccessGrantEvents {
  constructor(
    private readonly options: {
      auditor: AuditorService;
      notifications?: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /**
   * Runs `fn` inside an audit event: success with what `describe` says of
   * its result, or failure with the error (a refusal is audited too).
   */
  async audited<T>(
    event: AccessAuditEvent,
    fn: () => Promise<T>,
    describe: (result: T) => JsonObject,
  ): Promise<T> {
    return auditedCall(this.options.auditor, event, fn, describe);
  }

  /** One event for something that already happened (the expiry task). */
  async record(event: AccessAuditEvent, error?: Error): Promise<void> {
    const audit = await this.options.auditor.createEvent({
      eventId: event.eventId,
      severityLevel: event.severityLevel ?? 'medium',
      meta: { ...(event.actor ? { actor: event.actor } : {}), ...event.meta },
    });
    if (error) {
      await audit.fail({ error });
    } else {
      await audit.success();
    }
  }

  /** Tells `recipients` (entity refs); failing to notify never fails the flow. */
  async notify(
    record: AccessGrantRecord,
    recipients: string[],
    title: string,
    description?: string,
  ): Promise<void> {
    const { notifications, logger } = this.options;
    const to = [...new Set(recipients)];
    if (!notifications || to.length === 0) {
      return;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: to },
        payload: {
          title,
          description,
          link: `/catalog/default/resource/${
            deriveDatabaseNames(record.namespace, record.name).entityName
          }`,
          severity: 'normal',
          topic: 'dbaas-access',
          scope: `dbaas:access:${record.id}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify ${to.join(', ')} about access grant ${
          record.id
        }: ${error}`,
      );
    }
  }
}
