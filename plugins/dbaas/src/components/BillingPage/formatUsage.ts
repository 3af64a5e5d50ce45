import type { DatabaseUsageSummary } from '@dbaas/plugin-dbaas-common';

/** `1.24 GB` (GB = 2^30 bytes, as billed). */
export function formatGb(gb: number): string {
  if (gb === 0) {
    return '0 GB';
  }
  return `${gb < 0.01 ? gb.toPrecision(2) : gb.toFixed(2)} GB`;
}

/** `45 s`, `12.5 min`, `3.2 h`: backends' active time over the month. */
export function formatActiveTime(seconds: number): string {
  if (seconds < 60) {
    return `${Math.round(seconds)} s`;
  }
  if (seconds < 3600) {
    return `${(seconds / 60).toFixed(1)} min`;
  }
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * The activity behind a database's share of compute: active time where the
 * server reports it, else the transactions used as the proxy.
 */
export function describeActivity(usage: DatabaseUsageSummary): string {
  const transactions = `${Math.round(usage.transactions).toLocaleString(
    'en-US',
  )} ${usage.transactions === 1 ? 'transaction' : 'transactions'}`;
  if (usage.activeSeconds > 0) {
    return `${formatActiveTime(usage.activeSeconds)} active · ${transactions}`;
  }
  return transactions;
}
