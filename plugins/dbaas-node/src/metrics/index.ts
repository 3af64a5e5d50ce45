export { PostgresMetricsSampler } from './PostgresMetricsSampler';
export type { PostgresMetricsSamplerOptions } from './PostgresMetricsSampler';
export { computeRates } from './rates';
export {
  CloudWatchCapacityReader,
  FixedCapacityReader,
} from './CloudWatchCapacityReader';
export type { CloudWatchCapacityReaderOptions } from './CloudWatchCapacityReader';
export type {
  CapacityPoint,
  CapacityReader,
  ClusterSample,
  DatabaseConnections,
  DatabaseCounterFigures,
  DatabaseCounters,
  DatabaseRates,
  DatabaseSample,
} from './types';
