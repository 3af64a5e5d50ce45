/** Percentages of the monthly budget that trigger a notification. */
export const BUDGET_THRESHOLDS = [80, 100] as const;
export type BudgetThreshold = (typeof BUDGET_THRESHOLDS)[number];

export interface TenantSpend {
  namespace: string;
  /** Month-to-date (or month) total, cents. */
  totalCents: number;
  /** Forecast to month end, cents; only mentioned in the message. */
  forecastCents?: number;
}

export interface BudgetNotification {
  namespace: string;
  month: string;
  /** The highest threshold newly reached: the one to tell people about. */
  threshold: BudgetThreshold;
  /**
   * Every threshold newly reached (e.g. [80, 100] when spend jumped past
   * both at once): record them all as notified so neither is sent again.
   */
  thresholds: BudgetThreshold[];
  spentCents: number;
  budgetCents: number;
  forecastCents?: number;
  /** e.g. 'payments has used 82% of its monthly budget (USD 82.00 of 100.00) for 2025-03.' */
  title: string;
}

export interface EvaluateBudgetsOptions {
  month: string;
  currency: string;
  spend: Iterable<TenantSpend>;
  /** namespace -> budget in cents; no entry or 0 means no budget. */
  budgets: ReadonlyMap<string, number>;
  /** Thresholds already notified for `month`, per namespace. */
  alreadyNotified: ReadonlyMap<string, ReadonlyArray<number>>;
}

function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

/**
 * Decides which budget notifications to send now (pure: the caller sends
 * them and records `thresholds` as notified for the month). A threshold is
 * reached when spend × 100 >= budget × threshold (integer cents, no float
 * edge cases). Each threshold is notified at most once per tenant and month;
 * when several are newly reached at once, a single notification carries the
 * highest. Tenants without a budget (or a budget of 0) get none.
 */
export function evaluateBudgets(
  options: EvaluateBudgetsOptions,
): BudgetNotification[] {
  const out: BudgetNotification[] = [];
  for (const s of options.spend) {
    const budget = options.budgets.get(s.namespace);
    if (!budget || budget <= 0) continue;
    const done = options.alreadyNotified.get(s.namespace) ?? [];
    const reached = BUDGET_THRESHOLDS.filter(
      t => s.totalCents * 100 >= budget * t && !done.includes(t),
    );
    if (reached.length === 0) continue;
    const threshold = reached[reached.length - 1];
    const percent = Math.floor((s.totalCents * 100) / budget);
    const forecast =
      s.forecastCents !== undefined && s.forecastCents > s.totalCents
        ? ` Forecast to month end: ${options.currency} ${money(
            s.forecastCents,
          )}.`
        : '';
    out.push({
      namespace: s.namespace,
      month: options.month,
      threshold,
      thresholds: reached,
      spentCents: s.totalCents,
      budgetCents: budget,
      forecastCents: s.forecastCents,
      title:
        `${s.namespace} has used ${percent}% of its monthly budget ` +
        `(${options.currency} ${money(s.totalCents)} of ${money(budget)}) for ${
          options.month
        }.${forecast}`,
    });
  }
  return out.sort((a, b) => {
    if (a.namespace === b.namespace) return 0;
    return a.namespace < b.namespace ? -1 : 1;
  });
}
