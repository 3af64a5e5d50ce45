import { LoggerService } from '@backstage/backend-plugin-api';
import { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { estimateRecoveryTime, RecoveryRun } from './estimateRecoveryTime';
import { rpoObjective } from './objectiveStatus';
import { ObjectiveSettings } from './ObjectiveSettings';
import { RecoveryPoint, RecoveryPointReader } from './RecoveryPointReader';
import { LatestDrill, RecoveryRunReader } from './RecoveryRunReader';
import { RecoveryEvaluation, RecoveryStatusStore } from './RecoveryStatusStore';
import { RpoMiss, RpoMissNotifier } from './RpoMissNotifier';

export interface EvaluationResult {
  evaluated: number;
  rpoMissed: DatabaseRef[];
  rpoUnknown: DatabaseRef[];
  notified: DatabaseRef[];
}

const key = (ref: DatabaseRef) => `${ref.namespace}/${ref.name}`;

/**
 * One cycle of the objectives task: the recovery point of every `ready`
 * database (per cluster: one query, or one AWS call for Aurora), the
 * measured recovery time from drills and restores, stored for the API;
 * then the owners of databases missing their RPO are notified, once per
 * miss. A cluster that cannot be read keeps its databases' last recovery
 * point (with the error) and notifies nothing.
 */
export class ObjectivesEvaluator {
  constructor(
    private readonly options: {
      inventory: InventoryStore;
      providers: ClusterProviderBundle[];
      points: RecoveryPointReader;
      runs: RecoveryRunReader;
      store: RecoveryStatusStore;
      settings: Pick<ObjectiveSettings, 'targetsFor'>;
      notifier: RpoMissNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async evaluate(): Promise<EvaluationResult> {
    const { inventory, providers, store, settings, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const ready = await inventory.listDatabases({ statuses: ['ready'] });
    const { runs, latestDrills } = await this.options.runs.read();

    const evaluations: RecoveryEvaluation[] = [];
    const misses: RpoMiss[] = [];
    const result: EvaluationResult = {
      evaluated: 0,
      rpoMissed: [],
      rpoUnknown: [],
      notified: [],
    };
    for (const provider of providers) {
      const { cluster } = provider;
      const databases = ready.filter(r => r.cluster === cluster.name);
      if (databases.length === 0) {
        continue;
      }
      let points: Map<string, RecoveryPoint>;
      try {
        points = await this.options.points.read(provider, databases);
      } catch (error) {
        const message = `Could not read the recovery points of cluster '${
          cluster.name
        }': ${errorMessageLine(error)}`;
        logger.warn(message);
        points = new Map(
          databases.map(d => [d.databaseName, { error: message }]),
        );
      }
      const clusterRuns = runs.filter(r => r.cluster === cluster.name);
      for (const record of databases) {
        const point = points.get(record.databaseName) ?? {};
        const evaluation = this.#evaluate(
          record,
          cluster.name,
          point,
          clusterRuns,
          latestDrills.get(key(record)),
          now,
        );
        const targets = settings.targetsFor(cluster.environment, record.mode);
        const rpo = rpoObjective(evaluation, targets, now);
        evaluation.rpo = rpo.status;
        evaluations.push(evaluation);
        const ref = { namespace: record.namespace, name: record.name };
        if (rpo.status === 'missed') {
          result.rpoMissed.push(ref);
          misses.push({
            ...ref,
            rpo,
            objectiveOf: `${cluster.environment}/${record.mode}`,
          });
        } else if (rpo.status === 'unknown') {
          result.rpoUnknown.push(ref);
        }
      }
    }
    await store.save(evaluations);
    await store.removeExcept(evaluations);
    result.evaluated = evaluations.length;
    result.notified = await this.options.notifier.notify(misses, now);
    if (result.rpoMissed.length > 0 || result.notified.length > 0) {
      logger.info(
        `Recovery objectives: ${result.evaluated} databases, RPO missed by ${result.rpoMissed.length}, ${result.notified.length} newly notified`,
      );
    }
    return result;
  }

  #evaluate(
    record: DatabaseRecord,
    cluster: string,
    point: RecoveryPoint,
    clusterRuns: RecoveryRun[],
    latestDrill: LatestDrill | undefined,
    now: Date,
  ): RecoveryEvaluation {
    const own = clusterRuns.filter(
      r => r.namespace === record.namespace && r.name === record.name,
    );
    const estimate = estimateRecoveryTime({
      own,
      cluster: clusterRuns.filter(r => !own.includes(r)),
      currentSizeBytes: point.sizeBytes,
    });
    // A failed drill is answered by any run of this database after it.
    const failed =
      latestDrill?.state === 'failed' &&
      !own.some(r => r.finishedAt > latestDrill.at)
        ? `the drill of ${latestDrill.at.toISOString()} failed: ${
            latestDrill.error ?? 'no reason recorded'
          }`
        : undefined;
    return {
      namespace: record.namespace,
      name: record.name,
      databaseName: record.databaseName,
      cluster,
      ...(point.at
        ? {
            recoveryPointAt: point.at,
            recoveryPointSource: point.source,
            recoveryPointId: point.id,
            snapshotSizeBytes: point.sizeBytes,
          }
        : {}),
      recoveryPointError: point.error,
      exposedSince: record.managedSince ?? record.statusSince,
      ...(estimate
        ? { rtoEstimateMs: estimate.estimateMs, rtoBasis: estimate.basis }
        : {}),
      rtoFailure: failed,
      ...(latestDrill
        ? { lastDrillState: latestDrill.state, lastDrillAt: latestDrill.at }
        : {}),
      evaluatedAt: now,
      rpo: 'unknown',
    };
  }
}
