import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readRotationSettings } from './RotationSettings';

const logger = mockServices.logger.mock();

function read(rotation: unknown) {
  return readRotationSettings(
    new ConfigReader(rotation === undefined ? {} : { dbaas: { rotation } }),
    logger,
  );
}

describe('readRotationSettings', () => {
  it('schedules nothing unless configured', () => {
    const settings = read(undefined);
    expect(settings.periodFor('production')).toBeUndefined();
    expect(settings.schedule).toMatchObject({
      frequency: { minutes: 15 },
      scope: 'global',
    });
  });

  it('reads a period per environment, in any duration form', () => {
    const settings = read({
      environments: {
        production: { every: { days: 30 } },
        staging: { every: '36h' },
      },
    });
    expect(settings.periodFor('production')).toEqual({
      ms: 30 * 86_400_000,
      text: '30 days',
    });
    expect(settings.periodFor('staging')).toEqual({
      ms: 36 * 3_600_000,
      text: '36 hours',
    });
    expect(settings.periodFor('dev')).toBeUndefined();
    expect(settings.periodFor(undefined)).toBeUndefined();
  });

  it.each([
    [{ environment: {} }, /dbaas.rotation has unknown key\(s\) 'environment'/],
    [
      { environments: { prod: { every: { days: 1 } } } },
      /dbaas.rotation.environments has unknown key\(s\) 'prod'/,
    ],
    [
      { environments: { production: { evry: { days: 1 } } } },
      /unknown key\(s\) 'evry'; expected every/,
    ],
    [
      { environments: { production: { every: 'soon' } } },
      /dbaas.rotation.environments.production.every must be a duration/,
    ],
    [
      { environments: { production: { every: { minutes: 5 } } } },
      /every must be at least an hour/,
    ],
  ])('refuses %j', (rotation, message) => {
    expect(() => read(rotation)).toThrow(message);
  });
});
