import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createClusterProviders } from '../providers/createClusterProviders';
import { testLocalCluster } from '../snapshots/__testUtils__/testCluster';
import { createDrills, DRILL_TASK_ID } from './createDrills';

const local = testLocalCluster({ name: 'local' });
const aurora = {
  ...testLocalCluster({ name: 'eu' }),
  provider: 'aurora' as const,
  aurora: { region: 'eu-west-1', clusterIdentifier: 'eu' },
};

async function create(drills: JsonObject, clusters = [local, aurora]) {
  const scheduler = mockServices.scheduler.mock();
  const result = await createDrills({
    config: new ConfigReader({ dbaas: { drills } }),
    logger: mockServices.logger.mock(),
    scheduler,
    knex: {} as any,
    inventory: {} as any,
    providers: createClusterProviders(clusters),
    catalog: {} as any,
  });
  return { scheduler, result };
}

describe('createDrills', () => {
  it('registers one global task on the configured schedule', async () => {
    const { scheduler, result } = await create({
      schedule: { frequency: { cron: '30 4 * * 1' }, timeout: { hours: 2 } },
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: DRILL_TASK_ID,
        scope: 'global',
        frequency: { cron: '30 4 * * 1' },
        timeout: { hours: 2 },
      }),
    );
    expect(result.cycle).toBeDefined();
    expect(result.history.unavailableReason('local')).toBeUndefined();
    expect(result.history.unavailableReason('eu')).toMatch(
      /^cluster 'eu' is an Aurora cluster: drills of cluster snapshots need a temporary cluster/,
    );
  });

  it('registers nothing when turned off, and says so', async () => {
    const { scheduler, result } = await create({ enabled: false });
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(result.history.unavailableReason('local')).toBe(
      'drills are turned off (dbaas.drills.enabled: false)',
    );
  });

  it('registers nothing without a self-hosted cluster', async () => {
    const { scheduler } = await create({}, [aurora]);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
