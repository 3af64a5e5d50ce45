import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { createClusterProviders } from '../providers/createClusterProviders';
import { nextScheduledRun, readSnapshotSettings } from './SnapshotSettings';

const local = { name: 'local', provider: 'local' } as ClusterSettings;
const aurora = { name: 'eu', provider: 'aurora' } as ClusterSettings;
const read = (snapshots: object, clusters = [local]) =>
  readSnapshotSettings(
    new ConfigReader({ dbaas: { snapshots } }),
    createClusterProviders(clusters),
    mockServices.logger.mock(),
  );

describe('readSnapshotSettings', () => {
  it('defaults to a global task at 02:00 daily with a 6 hour timeout, and 35/35/7/7 days', () => {
    expect(read({ local: { directory: '/var/lib/dbaas' } })).toEqual({
      schedule: {
        frequency: { cron: '0 2 * * *' },
        timeout: { hours: 6 },
        scope: 'global',
      },
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      local: {
        storage: { type: 'directory', directory: '/var/lib/dbaas' },
        binDirectory: undefined,
      },
    });
  });

  it('reads a schedule, or (deprecated) a cron expression or a duration', () => {
    expect(
      read({ schedule: { frequency: { cron: '15 3 * * *' }, timeout: '3h' } }, [
        aurora,
      ]).schedule,
    ).toEqual({
      frequency: { cron: '15 3 * * *' },
      timeout: { hours: 3 },
      scope: 'global',
    });
    expect(read({ schedule: '15 3 * * *' }, [aurora]).schedule).toEqual({
      frequency: { cron: '15 3 * * *' },
      timeout: { hours: 6 },
      scope: 'global',
    });
    expect(read({ schedule: '12h', timeout: '1h' }, [aurora]).schedule).toEqual(
      { frequency: { hours: 12 }, timeout: { hours: 1 }, scope: 'global' },
    );
    expect(
      read({ schedule: { hours: 6 } }, [aurora]).schedule.frequency,
    ).toEqual({ hours: 6 });
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
    expect(() => read({})).toThrow(/or set dbaas.snapshots.local.storage: s3/);
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
    ).toEqual({
      storage: { type: 'directory', directory: '/d' },
      binDirectory: '/usr/lib/postgresql/16/bin',
    });
  });

  it('reads an S3 bucket as the storage, with defaults', () => {
    expect(
      read({ local: { storage: 's3', s3: { bucket: 'dbaas-snapshots' } } })
        .local,
    ).toEqual({
      storage: {
        type: 's3',
        s3: {
          bucket: 'dbaas-snapshots',
          prefix: '',
          region: undefined,
          endpoint: undefined,
          forcePathStyle: false,
          serverSideEncryption: undefined,
          kmsKeyId: undefined,
          credentials: undefined,
          partSizeBytes: 16 * 1024 * 1024,
        },
      },
      binDirectory: undefined,
    });
    expect(
      read({
        local: {
          storage: 's3',
          s3: {
            bucket: 'b1',
            prefix: 'prod/snapshots',
            region: 'eu-central-1',
            endpoint: 'https://minio.internal:9000',
            forcePathStyle: true,
            serverSideEncryption: 'aws:kms',
            kmsKeyId: 'alias/dbaas',
            accessKeyId: 'AKIAEXAMPLE',
            secretAccessKey: 'secret',
            partSizeMiB: 64,
          },
        },
      }).local?.storage,
    ).toEqual({
      type: 's3',
      s3: {
        bucket: 'b1',
        prefix: 'prod/snapshots/',
        region: 'eu-central-1',
        endpoint: 'https://minio.internal:9000',
        forcePathStyle: true,
        serverSideEncryption: 'aws:kms',
        kmsKeyId: 'alias/dbaas',
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
        partSizeBytes: 64 * 1024 * 1024,
      },
    });
  });

  it('refuses storage settings that cannot be meant, naming the key', () => {
    const s3 = (settings: object) =>
      read({ local: { storage: 's3', s3: { bucket: 'b1', ...settings } } });
    expect(() => read({ local: { storage: 'nfs', directory: '/d' } })).toThrow(
      "dbaas.snapshots.local.storage must be 'directory' or 's3', not 'nfs'",
    );
    expect(() => read({ local: { storage: 's3', directory: '/d' } })).toThrow(
      "dbaas.snapshots.local.s3 is required when dbaas.snapshots.local.storage is 's3'",
    );
    // Bucket settings while the data would go to the directory.
    expect(() =>
      read({ local: { directory: '/d', s3: { bucket: 'b1' } } }),
    ).toThrow(/dbaas.snapshots.local.s3 is set but .*storage is 'directory'/);
    expect(() => s3({ bucket: 'a/b' })).toThrow(
      "dbaas.snapshots.local.s3.bucket 'a/b' is not a bucket name",
    );
    expect(() => s3({ prefix: '/abs' })).toThrow(/prefix must not start/);
    expect(() => s3({ prefix: 'a/../b' })).toThrow(/'\.\.' segments/);
    expect(() => s3({ endpoint: 'minio:9000' })).toThrow(
      /endpoint must be an http\(s\) URL/,
    );
    expect(() => s3({ serverSideEncryption: 'aws:kms:dsse' })).toThrow(
      /serverSideEncryption must be one of AES256, aws:kms/,
    );
    expect(() =>
      s3({ serverSideEncryption: 'AES256', kmsKeyId: 'alias/x' }),
    ).toThrow(/kmsKeyId needs .*serverSideEncryption: aws:kms/);
    expect(() => s3({ accessKeyId: 'AKIA' })).toThrow(
      /accessKeyId and .*secretAccessKey go together/,
    );
    expect(() => s3({ partSizeMiB: 4 })).toThrow(
      /partSizeMiB must be a whole number from 5 to 5120, not 4/,
    );
  });

  it('warns that the directory is unused when the bucket is the storage', () => {
    const logger = mockServices.logger.mock();
    readSnapshotSettings(
      new ConfigReader({
        dbaas: {
          snapshots: {
            local: { storage: 's3', directory: '/d', s3: { bucket: 'b1' } },
          },
        },
      }),
      createClusterProviders([local]),
      logger,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      "dbaas.snapshots.local.directory is not used: dbaas.snapshots.local.storage is 's3' (s3://b1/)",
    );
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
