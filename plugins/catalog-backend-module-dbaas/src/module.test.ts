import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { DatabaseEntityProvider } from './DatabaseEntityProvider';
import catalogModuleDbaas from './index';

describe('catalog module dbaas', () => {
  async function start(data: JsonObject) {
    const addEntityProvider = jest.fn();
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        // the package's default export, which `backend.add(import(...))` loads
        catalogModuleDbaas,
        mockServices.rootConfig.factory({ data }),
        scheduler.factory,
        logger.factory,
      ],
    });
    return { addEntityProvider, scheduler, logger };
  }

  it('adds the provider and schedules it on catalog.providers.dbaas.schedule', async () => {
    const { addEntityProvider, scheduler } = await start({
      catalog: {
        providers: {
          dbaas: {
            schedule: { frequency: { seconds: 5 }, timeout: { minutes: 1 } },
          },
        },
      },
    });
    expect(addEntityProvider).toHaveBeenCalledWith(
      expect.any(DatabaseEntityProvider),
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith({
      id: 'dbaas-catalog-entities',
      frequency: { seconds: 5 },
      timeout: { minutes: 1 },
      scope: 'global',
      fn: expect.any(Function),
    });
  });

  it('schedules every minute without config', async () => {
    const { scheduler, logger } = await start({});
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        frequency: { minutes: 1 },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 15 },
        scope: 'global',
      }),
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('refuses to start with a malformed schedule, naming the key', async () => {
    await expect(
      start({
        catalog: { providers: { dbaas: { schedule: { frequency: '1m' } } } },
      }),
    ).rejects.toThrow(/catalog\.providers\.dbaas\.schedule must be a schedule/);
  });
});
