import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readRestoreSettings } from './RestoreSettings';

describe('readRestoreSettings', () => {
  it('schedules the restore task every 10 seconds by default, globally', () => {
    const settings = readRestoreSettings(
      new ConfigReader({}),
      mockServices.logger.mock(),
    );
    expect(settings).toEqual({
      approvers: [],
      requestTtlMs: 24 * 3_600_000,
      keepSafetyCopyForMs: 7 * 24 * 3_600_000,
      schedule: {
        frequency: { seconds: 10 },
        timeout: { minutes: 5 },
        scope: 'global',
      },
      leaseMs: 2 * 60_000,
      finalize: {
        standard: { required: true, timeLimitMs: 24 * 3_600_000 },
        protected: { required: true, timeLimitMs: 24 * 3_600_000 },
      },
    });
  });

  it('reads dbaas.restore.finalize per mode, and refuses a time limit of zero', () => {
    const read = (finalize: object) =>
      readRestoreSettings(
        new ConfigReader({ dbaas: { restore: { finalize } } }),
        mockServices.logger.mock(),
      ).finalize;
    expect(
      read({
        standard: { required: false },
        protected: { timeLimit: '2h' },
      }),
    ).toEqual({
      standard: { required: false, timeLimitMs: 24 * 3_600_000 },
      protected: { required: true, timeLimitMs: 2 * 3_600_000 },
    });
    expect(() => read({ protected: { timeLimit: { minutes: 0 } } })).toThrow(
      'dbaas.restore.finalize.protected.timeLimit must be longer than zero',
    );
    expect(() => read({ standard: { required: 'maybe' } })).toThrow(
      /dbaas\.restore\.finalize\.standard\.required/,
    );
  });

  it('reads dbaas.restore.schedule, and the deprecated workerFrequency with a warning', () => {
    const logger = mockServices.logger.mock();
    expect(
      readRestoreSettings(
        new ConfigReader({
          dbaas: {
            restore: { schedule: { frequency: '5s', timeout: '1m' } },
          },
        }),
        logger,
      ).schedule,
    ).toEqual({
      frequency: { seconds: 5 },
      timeout: { minutes: 1 },
      scope: 'global',
    });
    expect(logger.warn).not.toHaveBeenCalled();

    expect(
      readRestoreSettings(
        new ConfigReader({
          dbaas: { restore: { workerFrequency: { seconds: 2 } } },
        }),
        logger,
      ).schedule,
    ).toEqual({
      frequency: { seconds: 2 },
      timeout: { minutes: 5 },
      scope: 'global',
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^dbaas\.restore\.workerFrequency is deprecated; set dbaas\.restore\.schedule instead/,
      ),
    );
  });
});
