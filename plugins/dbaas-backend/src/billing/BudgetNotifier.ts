import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { BudgetAlertStore } from './BudgetAlertStore';
import { BudgetNotification, evaluateBudgets } from './budgets';
import { MonthReport } from './monthReport';

/** Where the notification leads: the billing page of the portal. */
const BILLING_LINK = '/dbaas/billing';

/**
 * Tells a tenant's owners when its month's spend reaches 80% and 100% of
 * its budget: once per threshold and month, across replicas (see
 * {@link BudgetAlertStore}), each alert also an audit event. A notification
 * that cannot be sent is released and tried again after the next run.
 */
export class BudgetNotifier {
  constructor(
    private readonly options: {
      alerts: BudgetAlertStore;
      notifications?: NotificationService;
      auditor: AuditorService;
      tenants: TenantDirectory;
      logger: LoggerService;
    },
  ) {}

  /** Returns the alerts sent by this call. */
  async notify(
    report: MonthReport,
    budgets: ReadonlyMap<string, number>,
  ): Promise<BudgetNotification[]> {
    const { alerts } = this.options;
    if (budgets.size === 0) return [];
    const due = evaluateBudgets({
      month: report.month,
      currency: report.currency,
      spend: report.tenants.map(t => ({
        namespace: t.namespace,
        totalCents: t.cents.total,
        forecastCents: t.forecastCents,
      })),
      budgets,
      alreadyNotified: await alerts.notified(report.month),
    });
    if (due.length === 0) return [];
    const owners = new Map(
      (await this.options.tenants.listTenants()).map(t => [
        t.namespace,
        t.owners,
      ]),
    );
    const sent: BudgetNotification[] = [];
    for (const alert of due) {
      const claimed = await alerts.claim({
        namespace: alert.namespace,
        month: alert.month,
        thresholds: alert.thresholds,
        spentCents: alert.spentCents,
        budgetCents: alert.budgetCents,
      });
      if (claimed.length === 0) continue; // another replica sent it
      if (await this.#send(alert, owners.get(alert.namespace) ?? [])) {
        sent.push(alert);
      } else {
        await alerts.release(alert.namespace, alert.month, claimed);
      }
    }
    return sent;
  }

  async #send(alert: BudgetNotification, owners: string[]): Promise<boolean> {
    const { notifications, auditor, logger } = this.options;
    const event = await auditor.createEvent({
      eventId: 'billing-budget-alert',
      severityLevel: alert.threshold >= 100 ? 'medium' : 'low',
      meta: {
        namespace: alert.namespace,
        month: alert.month,
        threshold: alert.threshold,
        spentCents: alert.spentCents,
        budgetCents: alert.budgetCents,
        recipients: owners,
      },
    });
    if (!notifications || owners.length === 0) {
      // Nobody to tell: recorded (audit) so it is not retried every run.
      logger.info(`${alert.title} No owner to notify.`);
      await event.success();
      return true;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title: alert.title,
          link: BILLING_LINK,
          severity: alert.threshold >= 100 ? 'high' : 'normal',
          topic: 'dbaas-billing',
          scope: `dbaas:billing:${alert.namespace}:${alert.month}:${alert.threshold}`,
        },
      });
      await event.success();
      return true;
    } catch (error) {
      logger.warn(
        `Could not notify ${owners.join(', ')} of the budget of ${
          alert.namespace
        }, retried after the next run: ${error}`,
      );
      await event.fail({ error: error as Error });
      return false;
    }
  }
}
