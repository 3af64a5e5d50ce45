import { DerivedDatabaseNames } from '@dbaas/plugin-dbaas-common';

/**
 * One reconcile or drop: the admin session, the step being done (for error
 * context), the changes so far and the passwords handled, which are
 * removed from any error before it leaves.
 */
export class ProvisioningRun {
  step = 'connect';
  readonly changes: string[] = [];
  readonly passwords: string[] = [];

  constructor(readonly names: DerivedDatabaseNames) {}

  async at<T>(step: string, fn: () => Promise<T>): Promise<T> {
    this.step = step;
    return fn();
  }

  changed(change: string) {
    this.changes.push(change);
  }
}
