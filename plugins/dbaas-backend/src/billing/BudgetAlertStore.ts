import { Knex } from 'knex';

const ALERTS = 'dbaas_billing_budget_alerts';

/** One budget threshold a tenant reached in a month. */
export interface BudgetAlertClaim {
  namespace: string;
  month: string;
  thresholds: number[];
  spentCents: number;
  budgetCents: number;
}

/**
 * The budget alerts already sent. Sending is claim-first: a replica sends
 * only the thresholds its insert created, so an alert goes out once even
 * when two replicas evaluate the same month at once.
 */
export interface BudgetAlertStore {
  /** Thresholds notified for `month`, per namespace. */
  notified(month: string): Promise<Map<string, number[]>>;
  /** Records the thresholds; returns those this call recorded (not already there). */
  claim(claim: BudgetAlertClaim): Promise<number[]>;
  /** Forgets claimed thresholds (their notification could not be sent). */
  release(
    namespace: string,
    month: string,
    thresholds: number[],
  ): Promise<void>;
}

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
