import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readObjectiveSettings } from './ObjectiveSettings';

const HOUR = 3_600_000;

function read(objectives: JsonObject) {
  return readObjectiveSettings(
    new ConfigReader({ dbaas: { objectives } }),
    mockServices.logger.mock(),
  );
}

describe('readObjectiveSettings', () => {
  it('defaults to 25 hours of RPO and 4 hours of RTO, evaluated every 5 minutes', () => {
    const settings = readObjectiveSettings(
      new ConfigReader({}),
      mockServices.logger.mock(),
    );
    expect(settings.targetsFor('production', 'protected')).toEqual({
      rpoMs: 25 * HOUR,
      rtoMs: 4 * HOUR,
    });
    expect(settings.schedule).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
      scope: 'global',
    });
  });

  it('resolves each objective from mode, then environment, then default', () => {
    const settings = read({
      default: { rpo: '26h', rto: { hours: 6 } },
      environments: {
        production: {
          rto: 'PT2H',
          protected: { rpo: { minutes: 15 } },
        },
        dev: { standard: { rto: '12h' } },
      },
    });
    expect(settings.targetsFor('production', 'protected')).toEqual({
      rpoMs: 0.25 * HOUR,
      rtoMs: 2 * HOUR,
    });
    expect(settings.targetsFor('production', 'standard')).toEqual({
      rpoMs: 26 * HOUR,
      rtoMs: 2 * HOUR,
    });
    expect(settings.targetsFor('dev', 'standard')).toEqual({
      rpoMs: 26 * HOUR,
      rtoMs: 12 * HOUR,
    });
    expect(settings.targetsFor('staging', 'protected')).toEqual({
      rpoMs: 26 * HOUR,
      rtoMs: 6 * HOUR,
    });
    expect(settings.targetsFor(undefined, 'standard')).toEqual({
      rpoMs: 26 * HOUR,
      rtoMs: 6 * HOUR,
    });
  });

  it('refuses unknown keys, naming them, instead of ignoring a typo', () => {
    expect(() => read({ environments: { prod: { rpo: '1h' } } })).toThrow(
      "dbaas.objectives.environments has unknown key(s) 'prod'; expected production, staging, test, dev",
    );
    expect(() =>
      read({ environments: { production: { protectd: { rpo: '1h' } } } }),
    ).toThrow(
      /dbaas.objectives.environments.production has unknown key\(s\) 'protectd'/,
    );
    expect(() => read({ default: { rpo: '1h', RTO: '2h' } })).toThrow(
      /dbaas.objectives.default has unknown key\(s\) 'RTO'/,
    );
  });

  it('refuses malformed and zero durations, naming the key', () => {
    expect(() => read({ default: { rpo: 'soon' } })).toThrow(
      /dbaas.objectives.default.rpo must be a duration/,
    );
    expect(() =>
      read({ environments: { test: { protected: { rto: { hours: 0 } } } } }),
    ).toThrow(
      'dbaas.objectives.environments.test.protected.rto must be longer than zero',
    );
  });

  it('takes a schedule object', () => {
    const settings = read({
      schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
    });
    expect(settings.schedule).toEqual({
      frequency: { minutes: 1 },
      timeout: { seconds: 30 },
      scope: 'global',
    });
  });
});
