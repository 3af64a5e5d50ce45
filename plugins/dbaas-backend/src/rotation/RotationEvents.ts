import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';
import type { Request } from 'express';
import { CredentialRotationRecord } from './CredentialRotationStore';
import { auditedCall } from '../audit/auditedCall';

/** What the auditor is told about one rotation step. Never a password. */
export interface RotationAuditEvent {
  eventId:
    | 'credential-rotation-request'
    | 'credential-rotation-approve'
    | 'credential-rotation-reject'
    | 'credential-rotation-run';
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The user acting, or `schedule`. */
  actor?: string;
  request?: Request<any, any, any, any, any>;
  meta?: JsonObject;
}

/**
 * Audit events and notifications of credential rotations. Rotations carry
 * names, states and one-line errors only: no password reaches either.
 */
export class RotationEvents {
  constructor(
    private readonly options: {
      auditor: AuditorService;
      notifications?: NotificationService;
      tenants: TenantDirectory;
      logger: LoggerService;
    },
  ) {}

  /** Runs `fn` inside an audit event; refusals (403, 409) are failures too. */
  async audited<T>(
    event: RotationAuditEvent,
    fn: () => Promise<T>,
    describe?: (result: T) => JsonObject,
  ): Promise<T> {
    return auditedCall(this.options.auditor, event, fn, describe);
  }

  /**
   * Tells the owners of the database's tenant and the requester (and who
   * decided). Failing to notify never fails the rotation.
   */
  async notify(
    record: CredentialRotationRecord,
    title: string,
    options: { description?: string; severity?: 'normal' | 'high' } = {},
  ): Promise<void> {
    const { notifications, logger, tenants } = this.options;
    if (!notifications) {
      return;
    }
    const owners =
      (await tenants.listTenants()).find(t => t.namespace === record.namespace)
        ?.owners ?? [];
    const recipients = [
      ...new Set([
        ...owners,
        ...(record.requestedBy.includes(':') ? [record.requestedBy] : []),
        ...(record.decidedBy ? [record.decidedBy] : []),
      ]),
    ];
    if (recipients.length === 0) {
      return;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title,
          description: options.description,
          link: `/catalog/default/resource/${
            deriveDatabaseNames(record.namespace, record.name).entityName
          }`,
          severity: options.severity ?? 'normal',
          topic: 'dbaas-credential-rotation',
          scope: `dbaas:credential-rotation:${record.id}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify ${recipients.join(', ')} about credential rotation ${
          record.id
        }: ${error}`,
      );
    }
  }
}
