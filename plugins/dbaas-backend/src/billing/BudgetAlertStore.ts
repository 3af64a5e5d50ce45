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
