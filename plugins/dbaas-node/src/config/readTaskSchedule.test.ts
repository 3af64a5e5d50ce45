import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { readTaskSchedule, TaskScheduleKeys } from './readTaskSchedule';

const inventory: TaskScheduleKeys = {
  key: 'dbaas.inventory.schedule',
  defaults: {
    frequency: { minutes: 1 },
    timeout: { minutes: 10 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.inventory.frequency',
    timeout: 'dbaas.inventory.timeout',
  },
};

const billing: TaskScheduleKeys = {
  key: 'dbaas.billing.schedule',
  defaults: {
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 2 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.billing.frequency',
    timeout: 'dbaas.billing.timeout',
  },
};

const metrics: TaskScheduleKeys = {
  key: 'dbaas.metrics.schedule',
  defaults: {
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.metrics.frequency',
    timeout: 'dbaas.metrics.timeout',
  },
};

/** Like the snapshots: the old frequency was a string at the new key. */
const snapshots: TaskScheduleKeys = {
  key: 'dbaas.snapshots.schedule',
  defaults: {
    frequency: { cron: '0 2 * * *' },
    timeout: { hours: 6 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.snapshots.schedule',
    timeout: 'dbaas.snapshots.timeout',
  },
};

/** Only a frequency was configurable, like the restore task. */
const restore: TaskScheduleKeys = {
  key: 'dbaas.restore.schedule',
  defaults: {
    frequency: { seconds: 10 },
    timeout: { minutes: 5 },
    scope: 'global',
  },
  deprecated: { frequency: 'dbaas.restore.workerFrequency' },
};

function read(keys: TaskScheduleKeys, dbaas: JsonObject) {
  const logger = mockServices.logger.mock();
  const schedule = readTaskSchedule(new ConfigReader({ dbaas }), logger, keys);
  return { schedule, warnings: logger.warn.mock.calls.map(c => c[0]) };
}

describe('readTaskSchedule', () => {
  it('is the defaults when nothing is configured, without a warning', () => {
    expect(read(inventory, {})).toEqual({
      schedule: inventory.defaults,
      warnings: [],
    });
    expect(read(billing, {}).schedule).toEqual({
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 2 },
      scope: 'global',
    });
  });

  it("reads the new key with Backstage's reader, global unless it says otherwise", () => {
    expect(
      read(inventory, {
        inventory: {
          schedule: { frequency: '30s', timeout: { minutes: 2 } },
        },
      }),
    ).toEqual({
      schedule: {
        frequency: { seconds: 30 },
        timeout: { minutes: 2 },
        scope: 'global',
      },
      warnings: [],
    });
    expect(
      read(billing, {
        billing: {
          schedule: {
            frequency: { cron: '*/5 * * * *' },
            timeout: 'PT3M',
            initialDelay: { seconds: 30 },
            scope: 'local',
          },
        },
      }).schedule,
    ).toEqual({
      frequency: { cron: '*/5 * * * *' },
      timeout: { minutes: 3 },
      initialDelay: { seconds: 30 },
      scope: 'local',
    });
    expect(
      read(restore, {
        restore: {
          schedule: { frequency: { trigger: 'manual' }, timeout: '1m' },
        },
      }).schedule.frequency,
    ).toEqual({ trigger: 'manual' });
  });

  it('warns once that deprecated keys are ignored when the new key is set', () => {
    const { schedule, warnings } = read(inventory, {
      inventory: {
        frequency: '5m',
        timeout: '1m',
        schedule: { frequency: '30s', timeout: '2m' },
      },
    });
    expect(schedule.frequency).toEqual({ seconds: 30 });
    expect(warnings).toEqual([
      'dbaas.inventory.frequency and dbaas.inventory.timeout are deprecated and ignored: dbaas.inventory.schedule is set',
    ]);
  });

  it('honours the deprecated frequency and timeout over the defaults, with one warning showing the new form', () => {
    expect(
      read(inventory, { inventory: { frequency: { seconds: 5 } } }),
    ).toEqual({
      schedule: {
        frequency: { seconds: 5 },
        timeout: { minutes: 10 },
        scope: 'global',
      },
      warnings: [
        'dbaas.inventory.frequency is deprecated; set dbaas.inventory.schedule instead, here dbaas.inventory.schedule: {"frequency":{"seconds":5},"timeout":{"minutes":10}}',
      ],
    });
    const both = read(billing, {
      billing: { frequency: '5m', timeout: 'PT2M' },
    });
    expect(both.schedule).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
      initialDelay: { minutes: 2 },
      scope: 'global',
    });
    expect(both.warnings).toEqual([
      'dbaas.billing.frequency and dbaas.billing.timeout are deprecated; set dbaas.billing.schedule instead, here dbaas.billing.schedule: {"frequency":{"minutes":5},"timeout":{"minutes":2},"initialDelay":{"minutes":2}}',
    ]);
    const timeoutOnly = read(billing, { billing: { timeout: '20m' } });
    expect(timeoutOnly.schedule.frequency).toEqual({ minutes: 15 });
    expect(timeoutOnly.schedule.timeout).toEqual({ minutes: 20 });
    expect(timeoutOnly.warnings).toHaveLength(1);
    expect(timeoutOnly.warnings[0]).toMatch(
      /^dbaas\.billing\.timeout is deprecated; set dbaas\.billing\.schedule instead/,
    );
    expect(
      read(restore, { restore: { workerFrequency: { seconds: 2 } } }),
    ).toEqual({
      schedule: {
        frequency: { seconds: 2 },
        timeout: { minutes: 5 },
        scope: 'global',
      },
      warnings: [
        'dbaas.restore.workerFrequency is deprecated; set dbaas.restore.schedule instead, here dbaas.restore.schedule: {"frequency":{"seconds":2},"timeout":{"minutes":5}}',
      ],
    });
  });

  it('takes a cron expression or a duration at a key whose old form it is', () => {
    const cron = read(snapshots, {
      snapshots: { schedule: '15 3 * * *', timeout: { hours: 2 } },
    });
    expect(cron.schedule).toEqual({
      frequency: { cron: '15 3 * * *' },
      timeout: { hours: 2 },
      scope: 'global',
    });
    expect(cron.warnings).toEqual([
      'A cron expression or a duration as dbaas.snapshots.schedule and dbaas.snapshots.timeout are deprecated; set dbaas.snapshots.schedule instead, here dbaas.snapshots.schedule: {"frequency":{"cron":"15 3 * * *"},"timeout":{"hours":2}}',
    ]);
    expect(
      read(snapshots, { snapshots: { schedule: '12h' } }).schedule.frequency,
    ).toEqual({ hours: 12 });
    const duration = read(snapshots, { snapshots: { schedule: { hours: 6 } } });
    expect(duration.schedule).toEqual({
      frequency: { hours: 6 },
      timeout: { hours: 6 },
      scope: 'global',
    });
    expect(duration.warnings).toHaveLength(1);
  });

  it('reads an object with a frequency at that key as the new form', () => {
    expect(
      read(snapshots, {
        snapshots: {
          schedule: { frequency: { cron: '30 1 * * *' }, timeout: '4h' },
        },
      }),
    ).toEqual({
      schedule: {
        frequency: { cron: '30 1 * * *' },
        timeout: { hours: 4 },
        scope: 'global',
      },
      warnings: [],
    });
    expect(
      read(snapshots, {
        snapshots: {
          schedule: { frequency: { hours: 12 }, timeout: '4h' },
          timeout: '1h',
        },
      }).warnings,
    ).toEqual([
      'dbaas.snapshots.timeout is deprecated and ignored: dbaas.snapshots.schedule is set',
    ]);
  });

  it.each<[string, TaskScheduleKeys, JsonObject, RegExp]>([
    [
      'a new key that is not an object',
      inventory,
      { inventory: { schedule: '5m' } },
      /^dbaas\.inventory\.schedule must be a schedule \{ frequency, timeout, initialDelay\?, scope\? \}: .*got string, wanted object/,
    ],
    [
      'a new key without a timeout',
      inventory,
      { inventory: { schedule: { frequency: '5m' } } },
      /^dbaas\.inventory\.schedule must be a schedule .*Missing required config value at 'dbaas\.inventory\.schedule\.timeout'/,
    ],
    [
      'a malformed frequency in the new key',
      metrics,
      { metrics: { schedule: { frequency: 'often', timeout: '1m' } } },
      /^dbaas\.metrics\.schedule must be a schedule .*Invalid duration 'often'/,
    ],
    [
      'an unknown scope',
      inventory,
      {
        inventory: {
          schedule: { frequency: '5m', timeout: '1m', scope: 'cluster' },
        },
      },
      /^dbaas\.inventory\.schedule must be a schedule .*got: cluster/,
    ],
    [
      'a malformed cron expression in the new key',
      snapshots,
      {
        snapshots: {
          schedule: { frequency: { cron: '99 2 * * *' }, timeout: '1h' },
        },
      },
      /^dbaas\.snapshots\.schedule\.frequency\.cron '99 2 \* \* \*' is not a valid cron expression/,
    ],
    [
      'a malformed deprecated frequency',
      billing,
      { billing: { frequency: 'often' } },
      /^dbaas\.billing\.frequency must be a cron expression or a duration: .*often/,
    ],
    [
      'a malformed deprecated timeout',
      billing,
      { billing: { timeout: { minites: 5 } } },
      /^dbaas\.billing\.timeout must be a duration: /,
    ],
    [
      'a malformed deprecated cron expression',
      snapshots,
      { snapshots: { schedule: '99 2 * * *' } },
      /^dbaas\.snapshots\.schedule '99 2 \* \* \*' is not a valid cron expression/,
    ],
    [
      'an object without a frequency where the old form was a duration',
      snapshots,
      { snapshots: { schedule: { timeout: '1h' } } },
      /^dbaas\.snapshots\.schedule must be a schedule \{ frequency, timeout, initialDelay\?, scope\? \} \(or, deprecated, a cron expression or a duration\): /,
    ],
  ])('refuses %s, naming the key', (_case, keys, dbaas, expected) => {
    let error: unknown;
    try {
      read(keys, dbaas);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(expected);
  });
});
