import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DatabaseRef,
  DatabaseStatus,
  DatabaseStatusChange,
  deriveDatabaseNames,
} from '@dbaas/plugin-dbaas-common';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';

type StatusChange = DatabaseStatusChange & DatabaseRef;

/** The statuses a tenant's owners hear about, and how loud. */
const NOTIFIED: Partial<
  Record<DatabaseStatus, { severity: 'normal' | 'high'; says: string }>
> = {
  ready: { severity: 'normal', says: 'is ready' },
  failed: { severity: 'high', says: 'failed' },
  orphaned: {
    severity: 'high',
    says: 'is orphaned: removed from the apps repository, its data is kept in the cluster',
  },
};

/**
 * Tells tenant owners about their databases becoming ready, failing or
 * orphaned, and records every status change as an audit event. Neither
 * ever carries a password: status changes hold names and reasons only.
 */
export class StatusNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      auditor: AuditorService;
      tenants: TenantDirectory;
      logger: LoggerService;
    },
  ) {}

  async statusesChanged(changes: StatusChange[]): Promise<void> {
    if (changes.length === 0) {
      return;
    }
    const owners = new Map(
      (await this.options.tenants.listTenants()).map(t => [
        t.namespace,
        t.owners,
      ]),
    );
    for (const change of changes) {
      await this.audit(change);
      await this.notify(change, owners.get(change.namespace) ?? []);
    }
  }

  private async audit(change: StatusChange) {
    const event = await this.options.auditor.createEvent({
      eventId: 'database-status-change',
      severityLevel: change.status === 'failed' ? 'medium' : 'low',
      meta: {
        database: `${change.namespace}/${change.name}`,
        from: change.from ?? null,
        to: change.status,
        reason: change.reason ?? null,
      },
    });
    await event.success();
  }

  private async notify(change: StatusChange, owners: string[]) {
    const notice = NOTIFIED[change.status];
    const { notifications, logger } = this.options;
    if (!notice || !notifications || owners.length === 0) {
      return;
    }
    const names = deriveDatabaseNames(change.namespace, change.name);
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title: `Database ${names.databaseName} ${notice.says}`,
          description: change.reason,
          link: `/catalog/default/resource/${names.entityName}`,
          severity: notice.severity,
          topic: 'dbaas',
          scope: `dbaas:${names.databaseName}:${change.status}`,
        },
      });
    } catch (error) {
      // A notification that cannot be delivered must not stop the sync.
      logger.warn(
        `Could not notify ${owners.join(', ')} about ${
          names.databaseName
        }: ${error}`,
      );
    }
  }
}
