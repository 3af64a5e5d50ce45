import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DatabaseRef,
  RecoveryPointObjective,
  deriveDatabaseNames,
  formatDuration,
} from '@dbaas/plugin-dbaas-common';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { RecoveryStatusStore } from './RecoveryStatusStore';

/** One database whose RPO is missed, as the objectives task found it. */
export interface RpoMiss extends DatabaseRef {
  rpo: RecoveryPointObjective;
  /** `production/protected`: whose objective it is. */
  objectiveOf: string;
}

/**
 * Tells a tenant's owners when a database misses its RPO: once per miss,
 * across replicas (the miss is claimed in {@link RecoveryStatusStore}
 * before sending; a send that fails is released and tried again next
 * cycle), each also an audit event. A miss ends when the objective is met
 * again; the next one is notified anew.
 */
export class RpoMissNotifier {
  constructor(
    private readonly options: {
      store: RecoveryStatusStore;
      notifications?: NotificationService;
      auditor: AuditorService;
      tenants: TenantDirectory;
      logger: LoggerService;
    },
  ) {}

  /** Returns the misses notified by this call. */
  async notify(misses: RpoMiss[], now: Date): Promise<DatabaseRef[]> {
    if (misses.length === 0) {
      return [];
    }
    const owners = new Map(
      (await this.options.tenants.listTenants()).map(t => [
        t.namespace,
        t.owners,
      ]),
    );
    const sent: DatabaseRef[] = [];
    for (const miss of misses) {
      if (!(await this.options.store.claimNotification(miss, now))) {
        continue; // notified before, or by another replica
      }
      if (await this.#send(miss, owners.get(miss.namespace) ?? [])) {
        sent.push({ namespace: miss.namespace, name: miss.name });
      } else {
        await this.options.store.releaseNotification(miss, now);
      }
    }
    return sent;
  }

  async #send(miss: RpoMiss, owners: string[]): Promise<boolean> {
    const { notifications, auditor, logger } = this.options;
    const names = deriveDatabaseNames(miss.namespace, miss.name);
    const { rpo } = miss;
    const target = formatDuration(rpo.targetSeconds);
    const age = formatDuration(rpo.ageSeconds ?? 0);
    const description = rpo.recoveryPointAt
      ? `Its newest recovery point is from ${rpo.recoveryPointAt} (${age} ago); the objective for ${miss.objectiveOf} databases is ${target}. A restore now would lose everything written since.`
      : `It has no snapshot yet and holds data since ${age} ago; the objective for ${miss.objectiveOf} databases is ${target}.`;
    const event = await auditor.createEvent({
      eventId: 'recovery-objective-missed',
      severityLevel: 'medium',
      meta: {
        database: `${miss.namespace}/${miss.name}`,
        objective: 'rpo',
        targetSeconds: rpo.targetSeconds,
        ageSeconds: rpo.ageSeconds ?? null,
        recoveryPointAt: rpo.recoveryPointAt ?? null,
        recipients: owners,
      },
    });
    if (!notifications || owners.length === 0) {
      // Nobody to tell: recorded (audit) so it is not retried every cycle.
      logger.warn(
        `Database ${names.databaseName} missed its RPO (${age} > ${target}); no owner to notify`,
      );
      await event.success();
      return true;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title: `Database ${names.databaseName} missed its recovery point objective (${target})`,
          description,
          link: `/catalog/default/resource/${names.entityName}/database`,
          severity: 'high',
          topic: 'dbaas-recovery',
          scope: `dbaas:${names.databaseName}:rpo-missed`,
        },
      });
      await event.success();
      return true;
    } catch (error) {
      logger.warn(
        `Could not notify ${owners.join(', ')} that ${
          names.databaseName
        } missed its RPO, tried again next cycle: ${error}`,
      );
      await event.fail({ error: error as Error });
      return false;
    }
  }
}
