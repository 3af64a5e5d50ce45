import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { RestoreEngine } from '../RestoreEngine';
import {
  AuroraRestoreEngine,
  AuroraRestoreEngineOptions,
} from './AuroraRestoreEngine';
import {
  LocalRestoreEngine,
  LocalRestoreEngineOptions,
} from './LocalRestoreEngine';

/**
 * One engine per provider, picked by the job's cluster: the wiring in
 * plugin.ts builds this once and hands the executor `engineFor(cluster)`.
 */
export function createRestoreEngineFor(
  options: LocalRestoreEngineOptions & AuroraRestoreEngineOptions,
): (cluster: ClusterSettings) => RestoreEngine {
  const local = new LocalRestoreEngine(options);
  const aurora = new AuroraRestoreEngine(options);
  return cluster => (cluster.provider === 'aurora' ? aurora : local);
}
