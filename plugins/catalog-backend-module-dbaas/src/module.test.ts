import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { DatabaseEntityProvider } from './DatabaseEntityProvider';
import catalogModuleDbaas from './index';

describe('catalog module dbaas', () => {
  async function start(data: JsonObject) {
    const addEntityProvider = jest.fn();
    const run = jest.fn();
    const scheduler = mockServices.scheduler.mock({
      createScheduledTaskRunner: jest.fn(() => ({ run })),
    });
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
    return { addEntityProvider, scheduler, logger, run };
  }

  it('adds the provider and schedules it on catalog.providers.dbaas.schedule once connected', async () => {
    const { addEntityProvider, scheduler, run } = await start({
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
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { seconds: 5 },
      timeout: { minutes: 1 },
      scope: 'global',
    });
    // Nothing runs before the catalog connects the provider.
    expect(run).not.toHaveBeenCalled();
    const provider: DatabaseEntityProvider = addEntityProvider.mock.calls[0][0];
    await provider.connect({ applyMutation: jest.fn(), refresh: jest.fn() });
    expect(run).toHaveBeenCalledWith({
      id: 'dbaas-catalog-entities',
      fn: expect.any(Function),
    });
  });

  it('schedules every minute without config', async () => {
    const { scheduler, logger } = await start({});
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith(
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
