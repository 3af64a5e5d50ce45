import type { CostCents } from '@dbaas/plugin-dbaas-common';

/** The parts of a cost, in the order the backend and the CSV use. */
export type CostComponentKey = Exclude<keyof CostCents, 'compute' | 'total'>;

export const COST_COMPONENTS: ReadonlyArray<{
  key: CostComponentKey;
  label: string;
}> = [
  { key: 'computeUsed', label: 'Compute used' },
  { key: 'computeIdle', label: 'Idle compute' },
  { key: 'storage', label: 'Storage' },
  { key: 'snapshots', label: 'Snapshots' },
  { key: 'base', label: 'Base fee' },
];

/**
 * One color per component, from the Okabe–Ito palette (distinguishable with
 * the common color-vision deficiencies, on light and dark backgrounds):
 * used and idle compute are the same capacity but must not be mistaken for
 * each other, so idle is orange, not a lighter blue.
 */
export const COST_COMPONENT_COLORS: Readonly<Record<CostComponentKey, string>> =
  {
    computeUsed: '#0072B2',
    computeIdle: '#E69F00',
    storage: '#009E73',
    snapshots: '#CC79A7',
    base: '#999999',
  };

/** The components' colors (a hook, so charts can follow a theme later). */
export function useCostComponentColors(): Record<CostComponentKey, string> {
  return COST_COMPONENT_COLORS;
}
