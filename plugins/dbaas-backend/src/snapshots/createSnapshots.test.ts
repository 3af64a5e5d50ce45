import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ClusterSettings,
  LocalSecretStore,
  PostgresProvisioner,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import {
  databaseExists,
  dropDatabase,
  migrated,
  testLocalCluster,
  uniqueNamespace,
} from './__testUtils__/testCluster';
import { createClusterProviders } from '../providers/createClusterProviders';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { withEnvironment } from '../pgTools/__testUtils__/withEnvironment';
import { createSnapshots } from './createSnapshots';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';
import { createS3Client } from './local/archives/S3ArchiveSettings';
import { S3TestServer } from './__testUtils__/s3TestServer';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('createSnapshots', () => {
  let knex: Knex;
  let directory: string;

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
  });
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dbaas-create-snapshots-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  function create(snapshots: object, clusters: ClusterSettings[]) {
    return createSnapshots({
      config: new ConfigReader({ dbaas: { snapshots } }),
      logger: mockServices.logger.mock(),
      scheduler: mockServices.scheduler.mock(),
      knex,
      providers: createClusterProviders(clusters),
      inventory: new DatabaseInventoryStore(knex),
      access: {} as DatabaseAccess,
    });
  }

  it('fails at startup without a snapshot directory for a self-hosted cluster', async () => {
    await expect(create({}, [testLocalCluster()])).rejects.toThrow(
      /dbaas.snapshots.local.directory is required/,
    );
    // Under a regular file: the directory can never be created.
    const blocker = join(directory, 'not-a-directory');
    await writeFile(blocker, '');
    await expect(
      create({ local: { directory: join(blocker, 'snapshots') } }, [
        testLocalCluster(),
      ]),
    ).rejects.toThrow(
      `dbaas.snapshots.local.directory '${blocker}/snapshots' cannot be created or written`,
    );
  });

  it('keeps the snapshots in the bucket with storage: s3, and needs a region', async () => {
    const s3 = await S3TestServer.start();
    try {
      const settings = s3.settings();
      const bucket = {
        bucket: settings.bucket,
        prefix: settings.prefix,
        endpoint: settings.endpoint,
        forcePathStyle: true,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      };
      // No region in the settings, the environment or a profile.
      await withEnvironment(
        { AWS_REGION: '', AWS_CONFIG_FILE: join(directory, 'no-config') },
        () =>
          expect(
            create({ local: { storage: 's3', s3: bucket } }, [
              testLocalCluster(),
            ]),
          ).rejects.toThrow(
            /dbaas.snapshots.local.s3.region is not set and the AWS SDK found no region/,
          ),
      );

      const cluster = testLocalCluster();
      const snapshots = await create(
        { local: { storage: 's3', s3: { ...bucket, region: 'us-east-1' } } },
        [cluster],
      );
      const definition = {
        namespace: uniqueNamespace(),
        name: 'ledger',
        mode: 'standard' as const,
      };
      const provisioner = PostgresProvisioner.fromSettings(cluster, {
        secretStore: new LocalSecretStore({ database: knex }),
        beforeDrop: snapshots.beforeDrop(cluster),
      });
      await provisioner.ensure(definition);
      await provisioner.drop(definition);

      const databaseName = `${definition.namespace}-ledger`;
      const [final] = await new DatabaseSnapshotStore(knex).listForDatabase(
        'local',
        databaseName,
      );
      expect(final).toMatchObject({ type: 'final', status: 'available' });
      const listed = await createS3Client(settings).send(
        new ListObjectsV2Command({
          Bucket: settings.bucket,
          Prefix: settings.prefix,
        }),
      );
      expect(listed.Contents?.map(o => o.Key)).toEqual([
        `${settings.prefix}local/${databaseName}/${final.id}.dump`,
      ]);
      // Nothing was written to a directory.
      expect(await readdir(directory)).toEqual([]);
    } finally {
      await s3.close();
    }
  });

  describe('the final snapshot before a drop (real provisioner)', () => {
    async function provisioned(binDirectory?: string) {
      const cluster = testLocalCluster();
      const snapshots = await create({ local: { directory, binDirectory } }, [
        cluster,
      ]);
      const provisioner = PostgresProvisioner.fromSettings(cluster, {
        secretStore: new LocalSecretStore({ database: knex }),
        beforeDrop: snapshots.beforeDrop(cluster),
      });
      const definition = {
        namespace: uniqueNamespace(),
        name: 'ledger',
        mode: 'standard' as const,
      };
      await provisioner.ensure(definition);
      return {
        provisioner,
        definition,
        databaseName: `${definition.namespace}-ledger`,
      };
    }

    it('takes a final snapshot, then drops', async () => {
      const { provisioner, definition, databaseName } = await provisioned();
      await provisioner.drop(definition);
      expect(await databaseExists(databaseName)).toBe(false);
      const [final] = await new DatabaseSnapshotStore(knex).listForDatabase(
        'local',
        databaseName,
      );
      expect(final).toMatchObject({ type: 'final', status: 'available' });
    });

    it('does not drop when the final snapshot fails', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'dbaas-no-pg-'));
      const { provisioner, definition, databaseName } = await provisioned(
        empty,
      );
      try {
        await expect(provisioner.drop(definition)).rejects.toThrow(
          /pg_dump 15 or newer is needed/,
        );
        expect(await databaseExists(databaseName)).toBe(true);
        const [final] = await new DatabaseSnapshotStore(knex).listForDatabase(
          'local',
          databaseName,
        );
        expect(final).toMatchObject({ type: 'final', status: 'failed' });
      } finally {
        await dropDatabase(databaseName);
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
});
