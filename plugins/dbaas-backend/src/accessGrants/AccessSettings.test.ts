import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readAccessSettings } from './AccessSettings';

const read = (access: object | undefined) =>
  readAccessSettings(
    new ConfigReader({ dbaas: access ? { access } : {} }),
    mockServices.logger.mock(),
  );

describe('readAccessSettings', () => {
  it('has defaults: 8 hours at most, 1 hour proposed, auto for owners outside production on standard databases', () => {
    const settings = read(undefined);
    expect(settings).toMatchObject({
      maxDurationMinutes: 480,
      defaultDurationMinutes: 60,
      requestTtlMs: 24 * 3_600_000,
      notifyGroups: [],
      schedule: expect.objectContaining({ scope: 'global' }),
    });
    expect(settings.approval).toEqual({
      production: { standard: 'approval', protected: 'approval' },
      staging: { standard: 'auto', protected: 'approval' },
      test: { standard: 'auto', protected: 'approval' },
      dev: { standard: 'auto', protected: 'approval' },
    });
  });

  it('reads durations in any form and caps the proposed one', () => {
    const settings = read({
      maxDuration: '2h',
      defaultDuration: { hours: 4 },
      requestTtl: 'PT30M',
      approval: {
        production: { standard: 'auto' },
        dev: { standard: 'approval' },
      },
      notifyGroups: ['group:default/platform'],
    });
    expect(settings.maxDurationMinutes).toBe(120);
    expect(settings.defaultDurationMinutes).toBe(120);
    expect(settings.requestTtlMs).toBe(30 * 60_000);
    expect(settings.approval.production.standard).toBe('auto');
    expect(settings.approval.production.protected).toBe('approval');
    expect(settings.approval.dev.standard).toBe('approval');
    expect(settings.notifyGroups).toEqual(['group:default/platform']);
  });

  it('names the key of a bad value', () => {
    expect(() => read({ maxDuration: '10s' })).toThrow(
      'dbaas.access.maxDuration must be at least one minute',
    );
    expect(() => read({ maxDuration: 'soon' })).toThrow(
      /dbaas\.access\.maxDuration/,
    );
    expect(() =>
      read({ approval: { staging: { protected: 'never' } } }),
    ).toThrow(
      "dbaas.access.approval.staging.protected must be 'auto' or 'approval', not 'never'",
    );
  });
});
