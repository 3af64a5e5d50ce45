import { useTheme } from '@material-ui/core/styles';
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
 * One color per component, from the theme so that charts and legends agree
 * in light and dark mode. Idle compute is a lighter shade of used compute:
 * both are the same capacity.
 */
export function useCostComponentColors(): Record<CostComponentKey, string> {
  const theme = useTheme();
  return {
    computeUsed: theme.palette.primary.main,
    computeIdle: theme.palette.primary.light,
    storage: theme.palette.success.main,
    snapshots: theme.palette.warning.main,
    base: theme.palette.grey[500],
  };
}
