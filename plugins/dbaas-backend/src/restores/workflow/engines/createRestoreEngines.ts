import { Config } from '@backstage/config';
import { DatabaseProvisioner } from '@dbaas/plugin-dbaas-node';
import { SnapshotEvidenceStore } from '../../../snapshots/evidence';
import { RestoreEngines } from '../RestoreExecutor';
import { AuroraRestoreEngine } from './AuroraRestoreEngine';
import { LocalRestoreEngine, OpenDump } from './LocalRestoreEngine';
import { readRestoreEngineSettings } from './RestoreEngineSettings';

/**
 * One engine per snapshot kind, for the executor. Restores create a new
 * database's roles and re-apply grants with the same provisioner the
 * inventory uses, so the roles match what the inventory expects.
 */
export function createRestoreEngines(options: {
  config: Config;
  openDump: OpenDump;
  /** The provisioner of each self-hosted cluster, by cluster name. */
  provisioners: ReadonlyMap<string, DatabaseProvisioner>;
  /**
   * The provisioner of new-database restore targets, by cluster name
   * (Aurora's too). @defaultValue provisioners
   */
  newDatabaseProvisioners?: ReadonlyMap<string, DatabaseProvisioner>;
  /** The evidence recorded with logical snapshots, for the verify step. */
  evidence?: SnapshotEvidenceStore;
}): RestoreEngines {
  const engineOptions = {
    settings: readRestoreEngineSettings(options.config),
    openDump: options.openDump,
    evidence: options.evidence,
    provisionerFor: (cluster: { name: string }) =>
      options.provisioners.get(cluster.name),
    newDatabaseProvisionerFor: (cluster: { name: string }) =>
      (options.newDatabaseProvisioners ?? options.provisioners).get(
        cluster.name,
      ),
  };
  return {
    logical: new LocalRestoreEngine(engineOptions),
    cluster: new AuroraRestoreEngine(engineOptions),
  };
}
