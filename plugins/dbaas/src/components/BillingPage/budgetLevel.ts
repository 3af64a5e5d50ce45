/**
 * How far a tenant is into its monthly budget. The thresholds are the ones
 * at which the backend notifies the tenant's owners (80 % and 100 %).
 */
export type BudgetLevel = 'none' | 'ok' | 'warning' | 'exceeded';

export const BUDGET_WARNING_PERCENT = 80;
export const BUDGET_EXCEEDED_PERCENT = 100;

/** `none` when the tenant has no budget (absent or 0). */
export function budgetLevel(
  budgetUsedPercent: number | undefined,
): BudgetLevel {
  if (budgetUsedPercent === undefined || !Number.isFinite(budgetUsedPercent)) {
    return 'none';
  }
  if (budgetUsedPercent >= BUDGET_EXCEEDED_PERCENT) {
    return 'exceeded';
  }
  if (budgetUsedPercent >= BUDGET_WARNING_PERCENT) {
    return 'warning';
  }
  return 'ok';
}

/** `82.5 %` as the backend computed it (one decimal). */
export function formatBudgetPercent(percent: number): string {
  return `${percent.toFixed(1)} %`;
}
