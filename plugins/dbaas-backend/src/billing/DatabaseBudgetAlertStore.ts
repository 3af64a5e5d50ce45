import { Knex } from 'knex';
import { BudgetAlertClaim, BudgetAlertStore } from './BudgetAlertStore';

const ALERTS = 'dbaas_billing_budget_alerts';

/** {@link BudgetAlertStore} in the plugin's PostgreSQL database. */
export class DatabaseBudgetAlertStore implements BudgetAlertStore {
  constructor(private readonly knex: Knex) {}

  async notified(month: string): Promise<Map<string, number[]>> {
    const rows = await this.knex(ALERTS)
      .select('namespace', 'threshold')
      .where({ month });
    const result = new Map<string, number[]>();
    for (const row of rows) {
      const list = result.get(row.namespace) ?? [];
      list.push(Number(row.threshold));
      result.set(row.namespace, list);
    }
    return result;
  }

  async claim(claim: BudgetAlertClaim): Promise<number[]> {
    if (claim.thresholds.length === 0) return [];
    const rows = await this.knex(ALERTS)
      .insert(
        claim.thresholds.map(threshold => ({
          namespace: claim.namespace,
          month: claim.month,
          threshold,
          spent_cents: claim.spentCents,
          budget_cents: claim.budgetCents,
        })),
      )
      .onConflict(['namespace', 'month', 'threshold'])
      .ignore()
      .returning('threshold');
    return rows.map((row: { threshold: number }) => Number(row.threshold));
  }

  async release(
    namespace: string,
    month: string,
    thresholds: number[],
  ): Promise<void> {
    await this.knex(ALERTS)
      .where({ namespace, month })
      .whereIn('threshold', thresholds)
      .delete();
  }
}
