import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { DatabaseSummaryRecord } from '../inventory/InventoryStore';
import { migrated } from '../snapshots/__testUtils__/testCluster';
import { readObjectiveSettings } from './ObjectiveSettings';
import { RecoveryService } from './RecoveryService';
import { RecoveryEvaluation, RecoveryStatusStore } from './RecoveryStatusStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const HOUR = 3_600_000;
const NOW = new Date('2026-12-13T12:00:00Z');

describe('RecoveryService summaries', () => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
  });

  /** `count` databases in as many namespaces, their snapshot `ageHours` old. */
  function evaluations(count: number, ageHours: number): RecoveryEvaluation[] {
    return Array.from({ length: count }, (_, i) => ({
      namespace: `tenant-${i}`,
      name: 'db',
      databaseName: `tenant-${i}-db`,
      cluster: 'local',
      recoveryPointAt: new Date(NOW.getTime() - ageHours * HOUR),
      recoveryPointSource: 'snapshot',
      exposedSince: new Date(0),
      rtoEstimateMs: 60_000,
      evaluatedAt: new Date(NOW.getTime() - ageHours),
      rpo: ageHours > 25 ? 'missed' : 'met',
    }));
  }

  function records(count: number): DatabaseSummaryRecord[] {
    return Array.from({ length: count }, (_, i) => ({
      namespace: `tenant-${i}`,
      name: 'db',
      databaseName: `tenant-${i}-db`,
      mode: 'standard',
      status: i === 0 ? 'provisioning' : 'ready',
      statusSince: NOW,
      cluster: 'local',
    }));
  }

  it('reads a few namespaces by key, and a large listing once until the next evaluation changes the table', async () => {
    const store = new RecoveryStatusStore(knex);
    const service = new RecoveryService({
      inventory: {} as any,
      access: {} as unknown as DatabaseAccess,
      store,
      settings: readObjectiveSettings(
        new ConfigReader({}),
        mockServices.logger.mock(),
      ),
      clusters: [
        { name: 'local', environment: 'production' } as ClusterSettings,
      ],
      drills: { list: async () => [], unavailableReason: () => undefined },
      now: () => NOW,
    });
    await store.save(evaluations(120, 2));
    const all = jest.spyOn(store, 'listForSummaries');

    const few = await service.summaries(records(3));
    expect([...few.keys()]).toEqual(['tenant-1/db', 'tenant-2/db']);
    expect(all).toHaveBeenLastCalledWith(['tenant-1', 'tenant-2']);

    const first = await service.summaries(records(120));
    expect(first.size).toBe(119);
    expect(first.get('tenant-7/db')).toEqual({
      rpo: 'met',
      rto: 'met',
      rpoAgeSeconds: 2 * 3600,
      rtoEstimateSeconds: 60,
    });
    await service.summaries(records(120));
    expect(all).toHaveBeenCalledTimes(2);

    // The next evaluation: snapshots 30 hours old, one database gone.
    await store.save(evaluations(119, 30));
    await store.removeExcept(evaluations(119, 30));
    const next = await service.summaries(records(120));
    expect(all).toHaveBeenCalledTimes(3);
    expect(next.get('tenant-7/db')).toMatchObject({
      rpo: 'missed',
      rpoAgeSeconds: 30 * 3600,
    });
    expect(next.get('tenant-119/db')).toMatchObject({
      rpo: 'unknown',
      rto: 'unknown',
    });
  });
});
