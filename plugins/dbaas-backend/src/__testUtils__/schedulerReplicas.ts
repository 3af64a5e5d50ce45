import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { SchedulerService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex, knex as createKnex } from 'knex';

type SchedulerOptions = Parameters<typeof DefaultSchedulerService.create>[0];

/** No-op metrics: the scheduler records run counts and durations. */
const noMetric = {
  add: () => {},
  record: () => {},
  addCallback: () => {},
  removeCallback: () => {},
};
const metrics = new Proxy(
  {},
  { get: () => () => noMetric },
) as SchedulerOptions['metrics'];

/** One backend replica's scheduler and its database connection pool. */
export interface SchedulerReplica {
  knex: Knex;
  /** The real DefaultSchedulerService, as `coreServices.scheduler` builds it. */
  scheduler: SchedulerService;
  /** Stops its task workers (the shutdown hooks). */
  shutdown(): Promise<void>;
}

function replicaOn(knex: Knex): SchedulerReplica {
  const shutdownHooks: Array<() => void | Promise<void>> = [];
  const scheduler = DefaultSchedulerService.create({
    database: mockServices.database({ knex }),
    logger: mockServices.rootLogger({ level: 'none' }),
    metrics,
    rootLifecycle: {
      addStartupHook: () => {},
      addBeforeShutdownHook: () => {},
      addShutdownHook: hook => {
        shutdownHooks.push(hook);
      },
    },
    httpRouter: { use: () => {}, addAuthPolicy: () => {} },
    pluginMetadata: { getId: () => 'dbaas' },
  });
  return {
    knex,
    scheduler,
    shutdown: async () => {
      for (const hook of shutdownHooks) {
        await hook();
      }
    },
  };
}

/**
 * Backend replicas sharing one fresh PostgreSQL database, each with its own
 * connection pool and scheduler; `stop()` shuts them down and closes the
 * extra pools, after letting a cut-short cycle release its claim.
 */
export async function schedulerReplicas(
  databases: TestDatabases,
  count: number,
): Promise<{ replicas: SchedulerReplica[]; stop(): Promise<void> }> {
  const first = await databases.init('POSTGRES_15');
  const extra = Array.from({ length: count - 1 }, () =>
    createKnex({
      client: first.client.config.client,
      connection: first.client.config.connection,
      pool: { min: 0, max: 5 },
    }),
  );
  const replicas = [first, ...extra].map(replicaOn);
  let stopped = false;
  return {
    replicas,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      for (const replica of replicas) {
        await replica.shutdown();
      }
      await new Promise(resolve => setTimeout(resolve, 1500));
      for (const k of extra) {
        await k.destroy();
      }
    },
  };
}
