import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ClusterSettings,
  PostgresMetricsSampler,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { MetricsService } from './MetricsService';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { MetricsStore } from './MetricsStore';
import {
  readMetricsSettings,
  scheduleMetricsSampling,
} from './scheduleMetricsSampling';

/**
 * The metrics piece of the plugin: the store in the plugin's database, the
 * scheduled sampling of every configured cluster, and the service behind
 * `GET /databases/:namespace/:name/metrics`.
 */
export async function createMetrics(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  knex: Knex;
  clusters: ClusterSettings[];
  inventory: InventoryStore;
  access: DatabaseAccess;
}): Promise<{ store: MetricsStore; service: MetricsService }> {
  const settings = readMetricsSettings(options.config, options.logger);
  const store = new DatabaseMetricsStore(options.knex, settings.retention);
  await scheduleMetricsSampling({
    scheduler: options.scheduler,
    settings,
    logger: options.logger,
    store,
    samplers: options.clusters.map(
      cluster =>
        new PostgresMetricsSampler({
          cluster: cluster.name,
          connection: cluster.connection,
        }),
    ),
  });
  return {
    store,
    service: new MetricsService(options.inventory, options.access, store),
  };
}
