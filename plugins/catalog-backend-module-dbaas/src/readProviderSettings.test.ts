import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  DEFAULT_SCHEDULE,
  readProviderOwner,
  readProviderSchedule,
  readProviderSettings,
} from './readProviderSettings';

function read(data: JsonObject) {
  const logger = mockServices.logger.mock();
  const config = new ConfigReader(data);
  return {
    schedule: () => readProviderSchedule(config, logger),
    owner: () => readProviderOwner(config, logger),
    all: () => readProviderSettings(config, logger),
    logger,
  };
}

const provider = (dbaas: JsonObject): JsonObject => ({
  catalog: { providers: { dbaas } },
});

describe('readProviderSchedule', () => {
  it('defaults to every minute, timeout 1 minute, 15 s delay, global', () => {
    const { schedule, logger } = read({});
    expect(schedule()).toEqual({
      frequency: { minutes: 1 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 15 },
      scope: 'global',
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('reads catalog.providers.dbaas.schedule, global unless it says local', () => {
    const { schedule, logger } = read(
      provider({
        schedule: { frequency: { seconds: 5 }, timeout: { minutes: 1 } },
      }),
    );
    expect(schedule()).toEqual({
      frequency: { seconds: 5 },
      timeout: { minutes: 1 },
      scope: 'global',
    });
    expect(logger.warn).not.toHaveBeenCalled();

    expect(
      read(
        provider({
          schedule: {
            frequency: { cron: '*/5 * * * *' },
            timeout: 'PT2M',
            initialDelay: '30s',
            scope: 'local',
          },
        }),
      ).schedule(),
    ).toEqual({
      frequency: { cron: '*/5 * * * *' },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 30 },
      scope: 'local',
    });
  });

  it('reads the deprecated dbaas.catalog.refreshFrequency, with a warning naming the new key', () => {
    const { schedule, logger } = read({
      dbaas: { catalog: { refreshFrequency: { seconds: 5 } } },
    });
    expect(schedule()).toEqual({
      ...DEFAULT_SCHEDULE,
      frequency: { seconds: 5 },
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'dbaas.catalog.refreshFrequency is deprecated; set catalog.providers.dbaas.schedule instead, here catalog.providers.dbaas.schedule: {"frequency":{"seconds":5},"timeout":{"minutes":1},"initialDelay":{"seconds":15}}',
    );
    expect(
      read({ dbaas: { catalog: { refreshFrequency: '2m' } } }).schedule()
        .frequency,
    ).toEqual({ minutes: 2 });
  });

  it('prefers the new key and says the old one is ignored', () => {
    const { schedule, logger } = read({
      ...provider({
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      }),
      dbaas: { catalog: { refreshFrequency: { seconds: 5 } } },
    });
    expect(schedule().frequency).toEqual({ minutes: 5 });
    expect(logger.warn).toHaveBeenCalledWith(
      'dbaas.catalog.refreshFrequency is deprecated and ignored: catalog.providers.dbaas.schedule is set',
    );
  });

  it.each([
    [
      'no timeout',
      { frequency: { minutes: 1 } },
      /^catalog\.providers\.dbaas\.schedule must be a schedule \{ frequency, timeout, initialDelay\?, scope\? \}: .*timeout/,
    ],
    [
      'no frequency',
      { timeout: { minutes: 1 } },
      /^catalog\.providers\.dbaas\.schedule must be a schedule .*frequency/,
    ],
    [
      'a plain number',
      { frequency: '5', timeout: { minutes: 1 } },
      /^catalog\.providers\.dbaas\.schedule must be a schedule .*plain number/,
    ],
    [
      'an unknown duration unit',
      { frequency: { minutes: 1 }, timeout: { mins: 1 } },
      /^catalog\.providers\.dbaas\.schedule must be a schedule .*at 'timeout'.*Needs one or more of/,
    ],
    [
      'a bad scope',
      { frequency: { minutes: 1 }, timeout: { minutes: 1 }, scope: 'cluster' },
      /^catalog\.providers\.dbaas\.schedule must be a schedule .*cluster/,
    ],
    [
      'a bad cron expression',
      { frequency: { cron: 'every minute' }, timeout: { minutes: 1 } },
      /^catalog\.providers\.dbaas\.schedule\.frequency\.cron 'every minute' is not a valid cron expression/,
    ],
  ])('rejects a schedule with %s, naming the key', (_, schedule, message) => {
    const { schedule: readIt } = read(provider({ schedule }));
    expect(readIt).toThrow(InputError);
    expect(readIt).toThrow(message);
  });

  it('rejects a schedule that is not an object, naming the key', () => {
    expect(read(provider({ schedule: '5m' })).schedule).toThrow(
      /^catalog\.providers\.dbaas\.schedule must be a schedule .*wanted object/,
    );
  });

  it('rejects a malformed deprecated frequency, naming the key', () => {
    for (const refreshFrequency of ['often', { minute: 1 }, 5]) {
      const { schedule, logger } = read({
        dbaas: { catalog: { refreshFrequency } },
      });
      expect(schedule).toThrow(InputError);
      expect(schedule).toThrow(
        /^dbaas\.catalog\.refreshFrequency must be a cron expression or a duration: /,
      );
      expect(logger.warn).not.toHaveBeenCalled();
    }
  });
});

describe('readProviderOwner', () => {
  it('defaults to group:default/platform', () => {
    const { owner, logger } = read({});
    expect(owner()).toBe('group:default/platform');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('reads catalog.providers.dbaas.owner as a full ref', () => {
    expect(read(provider({ owner: 'group:default/dba' })).owner()).toBe(
      'group:default/dba',
    );
    expect(read(provider({ owner: 'dba' })).owner()).toBe('group:default/dba');
    expect(read(provider({ owner: 'user:ops/jane' })).owner()).toBe(
      'user:ops/jane',
    );
  });

  it('reads the deprecated dbaas.catalog.owner, with a warning naming the new key', () => {
    const { owner, logger } = read({ dbaas: { catalog: { owner: 'dba' } } });
    expect(owner()).toBe('group:default/dba');
    expect(logger.warn).toHaveBeenCalledWith(
      'dbaas.catalog.owner is deprecated; set catalog.providers.dbaas.owner instead, here catalog.providers.dbaas.owner: group:default/dba',
    );
  });

  it('prefers the new key and says the old one is ignored', () => {
    const { owner, logger } = read({
      ...provider({ owner: 'group:default/dba' }),
      dbaas: { catalog: { owner: 'group:default/old' } },
    });
    expect(owner()).toBe('group:default/dba');
    expect(logger.warn).toHaveBeenCalledWith(
      'dbaas.catalog.owner is deprecated and ignored: catalog.providers.dbaas.owner is set',
    );
  });

  it.each([
    ['', /must not be empty/],
    ['group:/platform', /was not on the form/],
    ['component:default/api', /kind 'component' is neither group nor user/],
    ['key: value', /kind 'key' is neither group nor user/],
    ['group:default/two words', /'two words' is not a valid entity name/],
    ['group:Bad_Namespace!/x', /'bad_namespace!' is not a valid namespace/i],
  ])('rejects %j, naming the key', (value, why) => {
    const { owner } = read(provider({ owner: value }));
    expect(owner).toThrow(InputError);
    expect(owner).toThrow(
      /^catalog\.providers\.dbaas\.owner must be the entity ref of a group or user/,
    );
    expect(owner).toThrow(why);
  });

  it('rejects a malformed deprecated owner, naming that key', () => {
    expect(read({ dbaas: { catalog: { owner: 'api:x' } } }).owner).toThrow(
      /^dbaas\.catalog\.owner must be the entity ref of a group or user/,
    );
  });

  it('rejects an owner that is not a string, naming the key', () => {
    expect(read(provider({ owner: 42 })).owner).toThrow(
      /^catalog\.providers\.dbaas\.owner must be the entity ref of a group or user, like 'group:default\/platform', got 42: a number$/,
    );
    expect(read(provider({ owner: ['a'] })).owner).toThrow(
      /got \["a"\]: a list$/,
    );
  });
});

describe('readProviderSettings', () => {
  it('reads the clusters of the dbaas plugin', () => {
    expect(
      read({
        dbaas: {
          clusters: [{ name: 'local', environment: 'dev' }, { name: 'eu-1' }],
        },
      }).all(),
    ).toEqual({
      schedule: DEFAULT_SCHEDULE,
      owner: 'group:default/platform',
      clusters: [
        { name: 'local', environment: 'dev' },
        { name: 'eu-1', environment: undefined },
      ],
    });
  });

  it('names the cluster without a name', () => {
    expect(read({ dbaas: { clusters: [{ environment: 'dev' }] } }).all).toThrow(
      /dbaas\.clusters\[0\]\.name/,
    );
  });
});
