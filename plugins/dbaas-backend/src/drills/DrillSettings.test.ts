import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readDrillSettings } from './DrillSettings';
import { parseByteSize } from './parseByteSize';

const read = (drills: JsonObject) =>
  readDrillSettings(
    new ConfigReader({ dbaas: { drills } }),
    mockServices.logger.mock(),
  );

describe('readDrillSettings', () => {
  it('defaults: daily at 05:00, 3 databases a cycle, one at a time, 10 GiB', () => {
    expect(
      readDrillSettings(new ConfigReader({}), mockServices.logger.mock()),
    ).toEqual({
      enabled: true,
      schedule: {
        frequency: { cron: '0 5 * * *' },
        timeout: { hours: 3 },
        scope: 'global',
      },
      maxDatabasesPerCycle: 3,
      maxConcurrent: 1,
      maxSnapshotSizeBytes: 10 * 2 ** 30,
      leaseMs: 120_000,
    });
  });

  it('reads every key', () => {
    expect(
      read({
        enabled: false,
        schedule: { frequency: { hours: 6 }, timeout: { hours: 1 } },
        maxDatabasesPerCycle: 20,
        maxConcurrent: 2,
        maxSnapshotSize: '500 MB',
        leaseDuration: '30s',
      }),
    ).toEqual({
      enabled: false,
      schedule: {
        frequency: { hours: 6 },
        timeout: { hours: 1 },
        scope: 'global',
      },
      maxDatabasesPerCycle: 20,
      maxConcurrent: 2,
      maxSnapshotSizeBytes: 500_000_000,
      leaseMs: 30_000,
    });
  });

  it('refuses counts that are not whole and positive, naming the key', () => {
    expect(() => read({ maxConcurrent: 0 })).toThrow(
      'dbaas.drills.maxConcurrent must be a whole number of at least 1, not 0',
    );
    expect(() => read({ maxDatabasesPerCycle: 2.5 })).toThrow(
      /dbaas.drills.maxDatabasesPerCycle must be a whole number/,
    );
  });
});

describe('parseByteSize', () => {
  it('reads bytes and sizes with units', () => {
    expect(parseByteSize(1024, 'k')).toBe(1024);
    expect(parseByteSize('10 GiB', 'k')).toBe(10 * 2 ** 30);
    expect(parseByteSize('1.5gb', 'k')).toBe(1_500_000_000);
    expect(parseByteSize('512', 'k')).toBe(512);
  });

  it('refuses anything else, naming the key', () => {
    for (const bad of ['lots', '10 GB of', '-1 GiB', 0, '0 MB', true]) {
      expect(() =>
        parseByteSize(bad as any, 'dbaas.drills.maxSnapshotSize'),
      ).toThrow(/dbaas.drills.maxSnapshotSize must be a size such as/);
    }
  });
});
