import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError, stringifyError } from '@backstage/errors';
import { readTaskSchedule } from '@dbaas/plugin-dbaas-node';
import { ClusterEntityInput } from './databaseEntities';

/** Where the provider's schedule is configured, like Backstage's own providers. */
const SCHEDULE_KEY = 'catalog.providers.dbaas.schedule';
/** Owner of clusters, and of databases whose tenant has none. */
const OWNER_KEY = 'catalog.providers.dbaas.owner';
/** Deprecated: read only when SCHEDULE_KEY is absent. */
const DEPRECATED_FREQUENCY_KEY = 'dbaas.catalog.refreshFrequency';
/** Deprecated: read only when OWNER_KEY is absent. */
const DEPRECATED_OWNER_KEY = 'dbaas.catalog.owner';
/** The clusters of the dbaas plugin (see its config.d.ts). */
const CLUSTERS_KEY = 'dbaas.clusters';

/** The schedule when none is configured. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 15 },
  scope: 'global',
};

const DEFAULT_OWNER = 'group:default/platform';

export interface ProviderSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Full entity ref, e.g. `group:default/platform`. */
  owner: string;
  clusters: ClusterEntityInput[];
}

/**
 * `catalog.providers.dbaas.schedule` with Backstage's reader; else the
 * deprecated `dbaas.catalog.refreshFrequency` over the defaults, with a
 * warning that shows the new form; else the defaults (the suite's one
 * schedule reader, shared with the dbaas backend's tasks).
 */
export function readProviderSchedule(
  config: Config,
  logger: LoggerService,
): SchedulerServiceTaskScheduleDefinition {
  return readTaskSchedule(config, logger, {
    key: SCHEDULE_KEY,
    defaults: DEFAULT_SCHEDULE,
    deprecated: { frequency: DEPRECATED_FREQUENCY_KEY },
  });
}

const OWNER_KINDS = ['group', 'user'];
const entityRefValidator = makeValidator();

/** The full `group:` or `user:` ref at `key`, or an error saying what is wrong. */
function readOwner(config: Config, key: string): string {
  const value = config.getOptional(key);
  const problem = (why: string) =>
    new InputError(
      `${key} must be the entity ref of a group or user, like 'group:default/platform', got ${JSON.stringify(
        value,
      )}: ${why}`,
    );
  if (typeof value !== 'string') {
    throw problem(`a ${Array.isArray(value) ? 'list' : typeof value}`);
  }
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw problem(stringifyError(error));
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (!OWNER_KINDS.includes(kind)) {
    throw problem(`kind '${ref.kind}' is neither group nor user`);
  }
  if (!entityRefValidator.isValidNamespace(ref.namespace)) {
    throw problem(`'${ref.namespace}' is not a valid namespace`);
  }
  if (!entityRefValidator.isValidEntityName(ref.name)) {
    throw problem(`'${ref.name}' is not a valid entity name`);
  }
  return stringifyEntityRef(ref);
}

/**
 * `catalog.providers.dbaas.owner`, else the deprecated `dbaas.catalog.owner`
 * (with a warning), else `group:default/platform`; as a full entity ref
 * (kind `group` and namespace `default` unless the value says otherwise).
 */
export function readProviderOwner(
  config: Config,
  logger: LoggerService,
): string {
  if (config.has(OWNER_KEY)) {
    if (config.has(DEPRECATED_OWNER_KEY)) {
      logger.warn(
        `${DEPRECATED_OWNER_KEY} is deprecated and ignored: ${OWNER_KEY} is set`,
      );
    }
    return readOwner(config, OWNER_KEY);
  }
  if (!config.has(DEPRECATED_OWNER_KEY)) {
    return DEFAULT_OWNER;
  }
  const owner = readOwner(config, DEPRECATED_OWNER_KEY);
  logger.warn(
    `${DEPRECATED_OWNER_KEY} is deprecated; set ${OWNER_KEY} instead, here ${OWNER_KEY}: ${owner}`,
  );
  return owner;
}

/** Reads everything the provider needs from the root config. */
export function readProviderSettings(
  config: Config,
  logger: LoggerService,
): ProviderSettings {
  return {
    schedule: readProviderSchedule(config, logger),
    owner: readProviderOwner(config, logger),
    clusters: (config.getOptionalConfigArray(CLUSTERS_KEY) ?? []).map(c => ({
      name: c.getString('name'),
      environment: c.getOptionalString('environment'),
    })),
  };
}
