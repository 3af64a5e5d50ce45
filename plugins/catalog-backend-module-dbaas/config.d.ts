import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The dbaas entity provider: one `Resource` per database and per
       * cluster of the dbaas inventory (@dbaas/plugin-catalog-backend-module-dbaas).
       * The clusters are those of `dbaas.clusters`.
       */
      dbaas?: {
        /**
         * When the entities are emitted again from the inventory, e.g.
         * `{ frequency: { minutes: 5 }, timeout: { minutes: 1 } }` or
         * `{ frequency: { cron: '0 * * * *' }, timeout: 'PT1M' }`.
         * `frequency` and `timeout` are required; `scope` defaults to
         * `global` (one run per cycle across replicas); without
         * `initialDelay` the first run starts at once.
         *
         * Without this key: every minute, timeout 1 minute, first run 15
         * seconds after start, global. Replaces the deprecated
         * `dbaas.catalog.refreshFrequency`.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Owner of the cluster entities, and of databases whose tenant has
         * no known owner: the ref of a group or user (`platform` means
         * `group:default/platform`). Replaces the deprecated
         * `dbaas.catalog.owner`.
         * @default 'group:default/platform'
         */
        owner?: string;
      };
    };
  };
}
