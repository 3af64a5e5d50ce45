import { ConfigReader } from '@backstage/config';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { nextScheduledRun, readSnapshotSettings } from './SnapshotSettings';

const local = { name: 'local', provider: 'local' } as ClusterSettings;
const aurora = { name: 'eu', provider: 'aurora' } as ClusterSettings;
const read = (snapshots: object, clusters = [local]) =>
  readSnapshotSettings(new ConfigReader({ dbaas: { snapshots } }), clusters);

describe('readSnapshotSettings', () => {
  it('defaults to 02:00 daily, 35/35/7/7 days and a 6 hour timeout', () => {
    expect(read({ local: { directory: '/var/lib/dbaas' } })).toEqual({
      schedule: { cron: '0 2 * * *' },
      timeout: { hours: 6 },
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      local: { directory: '/var/lib/dbaas', binDirectory: undefined },
    });
  });

  it('reads a cron expression or a duration as the schedule', () => {
    expect(read({ schedule: '15 3 * * *' }, [aurora]).schedule).toEqual({
      cron: '15 3 * * *',
    });
    expect(read({ schedule: '12h' }, [aurora]).schedule).toEqual({ hours: 12 });
    expect(read({ schedule: { hours: 6 } }, [aurora]).schedule).toEqual({
      hours: 6,
    });
    expect(() => read({ schedule: '99 2 * * *' }, [aurora])).toThrow(
      /dbaas.snapshots.schedule '99 2 \* \* \*' is not a valid cron expression/,
    );
  });

  it('takes retention per environment and refuses nonsense', () => {
    expect(
      read({ retention: { dev: 3, production: 90 } }, [aurora]).retentionDays,
    ).toEqual({ production: 90, staging: 35, test: 7, dev: 3 });
    expect(() => read({ retention: { test: 0 } }, [aurora])).toThrow(
      'dbaas.snapshots.retention.test must be a whole number of days (>= 1)',
    );
  });

  it('needs an absolute snapshot directory as soon as a cluster is self-hosted', () => {
    expect(read({}, [aurora]).local).toBeUndefined();
    expect(() => read({})).toThrow(
      "dbaas.snapshots.local.directory is required: cluster 'local' is self-hosted",
    );
    expect(() => read({ local: { directory: 'snapshots' } })).toThrow(
      /must be an absolute path/,
    );
    expect(() =>
      read({ local: { directory: '/d', binDirectory: 'bin' } }),
    ).toThrow(/binDirectory must be an absolute path/);
    expect(
      read({
        local: { directory: '/d', binDirectory: '/usr/lib/postgresql/16/bin' },
      }).local,
    ).toEqual({ directory: '/d', binDirectory: '/usr/lib/postgresql/16/bin' });
  });

  it('refuses a local cluster name that cannot be a directory name', () => {
    expect(() =>
      read({ local: { directory: '/d' } }, [
        { ...local, name: '../etc' } as ClusterSettings,
      ]),
    ).toThrow(/Cluster name '..\/etc' cannot name a snapshot directory/);
  });
});

describe('nextScheduledRun', () => {
  it('is the next cron time, and unknown for an interval', () => {
    const next = nextScheduledRun(
      { cron: '0 2 * * *' },
      new Date('2026-11-25T10:00:00'),
    );
    expect(next).toEqual(new Date('2026-11-26T02:00:00'));
    expect(nextScheduledRun({ hours: 24 })).toBeUndefined();
  });
});
