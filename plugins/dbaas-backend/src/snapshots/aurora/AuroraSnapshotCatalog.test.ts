import { Readable } from 'node:stream';
import {
  DBClusterSnapshotNotFoundFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { InputError, NotFoundError } from '@backstage/errors';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeAwsServer } from '../../__testUtils__/fakeAws/FakeAwsServer';
import {
  describeWithPostgres,
  dropNamespace,
  query,
  testConnection,
  uniqueNamespace,
} from '../../restores/workflow/engines/testFixtures';
import { SnapshotSubject } from '../SnapshotCatalog';
import {
  AURORA_MAX_ATTEMPTS,
  AuroraSnapshotCatalog,
  nextBackup,
} from './AuroraSnapshotCatalog';

const GIB = 2 ** 30;
const RETENTION = { production: 35, staging: 35, test: 7, dev: 7 };

const cluster: ClusterSettings = {
  name: 'eu-prod',
  environment: 'production',
  provider: 'aurora',
  connection: {
    host: 'eu-prod.cluster-abc.eu-west-1.rds.amazonaws.com',
    port: 5432,
    user: 'observer',
    database: 'postgres',
    ssl: { rejectUnauthorized: true },
  },
  publicEndpoint: { host: 'rds-proxy.internal', port: 5432 },
  aurora: { region: 'eu-west-1', clusterIdentifier: 'idp-eu-prod' },
  namespaces: [],
  capacity: 1,
};

const subject: SnapshotSubject = {
  namespace: 'payments',
  name: 'ledger',
  databaseName: 'payments-ledger',
  cluster,
};

/** As DescribeDBClusterSnapshots returns them (fields trimmed to the ones read). */
function awsSnapshot(
  identifier: string,
  created: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    DBClusterSnapshotIdentifier: identifier,
    DBClusterIdentifier: 'idp-eu-prod',
    SnapshotCreateTime: new Date(created),
    ClusterCreateTime: new Date('2025-01-10T09:00:00Z'),
    Engine: 'aurora-postgresql',
    EngineMode: 'provisioned',
    EngineVersion: '16.4',
    AllocatedStorage: 12,
    Status: 'available',
    Port: 0,
    SnapshotType: 'automated',
    PercentProgress: 100,
    StorageEncrypted: true,
    DBClusterSnapshotArn: `arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:${identifier}`,
    ...overrides,
  };
}

const describedCluster = {
  DBClusters: [
    {
      DBClusterIdentifier: 'idp-eu-prod',
      BackupRetentionPeriod: 35,
      PreferredBackupWindow: '02:00-02:30',
      EarliestRestorableTime: new Date('2026-10-21T02:04:11Z'),
      LatestRestorableTime: new Date('2026-11-25T09:55:02Z'),
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      Status: 'available',
    },
  ],
};

function throttling() {
  return new RDSServiceException({
    name: 'Throttling',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400, attempts: AURORA_MAX_ATTEMPTS },
  });
}

describe('AuroraSnapshotCatalog (aws-sdk-client-mock)', () => {
  const rds = mockClient(RDSClient);
  const now = new Date('2026-11-25T10:00:00Z');
  const catalog = () =>
    new AuroraSnapshotCatalog({
      retentionDays: RETENTION,
      cacheTtlMs: 0,
      now: () => now,
    });

  afterAll(() => rds.restore());

  beforeEach(() => {
    rds.reset();
    rds.on(DescribeDBClustersCommand).resolves(describedCluster);
  });

  it('lists automated and manual snapshots over every page, newest first, with the restore window', async () => {
    const requests: unknown[] = [];
    rds.on(DescribeDBClusterSnapshotsCommand).callsFake(input => {
      requests.push({ ...input });
      return input.Marker === 'page-2'
        ? {
            DBClusterSnapshots: [
              awsSnapshot('before-upgrade', '2026-11-10T14:30:00Z', {
                SnapshotType: 'manual',
                AllocatedStorage: 10,
              }),
              awsSnapshot(
                'rds:idp-eu-prod-2026-11-25-02-05',
                '2026-11-25T02:05:00Z',
                {
                  Status: 'creating',
                  PercentProgress: 40,
                },
              ),
            ],
          }
        : {
            DBClusterSnapshots: [
              awsSnapshot(
                'rds:idp-eu-prod-2026-11-23-02-05',
                '2026-11-23T02:05:00Z',
              ),
              awsSnapshot(
                'rds:idp-eu-prod-2026-11-24-02-05',
                '2026-11-24T02:05:00Z',
              ),
            ],
            Marker: 'page-2',
          };
    });

    const result = await catalog().list(subject);

    expect(requests).toEqual([
      { DBClusterIdentifier: 'idp-eu-prod', MaxRecords: 100 },
      { DBClusterIdentifier: 'idp-eu-prod', MaxRecords: 100, Marker: 'page-2' },
    ]);
    expect(result).toEqual({
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      cluster: 'eu-prod',
      retentionDays: 35,
      restoreWindow: {
        earliest: '2026-10-21T02:04:11.000Z',
        latest: '2026-11-25T09:55:02.000Z',
        pointInTime: true,
      },
      nextScheduledAt: '2026-11-26T02:00:00.000Z',
      items: [
        {
          id: 'rds:idp-eu-prod-2026-11-25-02-05',
          source: 'aurora-cluster-snapshot',
          type: 'automated',
          status: 'creating',
          createdAt: '2026-11-25T02:05:00.000Z',
          expiresAt: '2026-12-30T02:05:00.000Z',
          sizeBytes: 12 * GIB,
          cluster: 'eu-prod',
          engineVersion: '16.4',
        },
        expect.objectContaining({
          id: 'rds:idp-eu-prod-2026-11-24-02-05',
          status: 'available',
        }),
        expect.objectContaining({ id: 'rds:idp-eu-prod-2026-11-23-02-05' }),
        {
          id: 'before-upgrade',
          source: 'aurora-cluster-snapshot',
          type: 'manual',
          status: 'available',
          createdAt: '2026-11-10T14:30:00.000Z',
          sizeBytes: 10 * GIB,
          cluster: 'eu-prod',
          engineVersion: '16.4',
        },
      ],
    });
  });

  it('surfaces AWS errors with the cluster and region, after the retries', async () => {
    rds.on(DescribeDBClusterSnapshotsCommand).rejects(throttling());
    const error = await catalog()
      .list(subject)
      .catch(e => e);
    expect(error.message).toBe(
      `Listing the snapshots of Aurora cluster idp-eu-prod (eu-west-1) failed after ${AURORA_MAX_ATTEMPTS} attempts; caused by Throttling: Rate exceeded`,
    );
  });

  it('gives one restorable snapshot of the cluster, 404 for another cluster’s or an unknown one, 400 when not available', async () => {
    rds
      .on(DescribeDBClusterSnapshotsCommand, {
        DBClusterSnapshotIdentifier: 'rds:idp-eu-prod-2026-11-24-02-05',
      })
      .resolves({
        DBClusterSnapshots: [
          awsSnapshot(
            'rds:idp-eu-prod-2026-11-24-02-05',
            '2026-11-24T02:05:00Z',
          ),
        ],
      })
      .on(DescribeDBClusterSnapshotsCommand, {
        DBClusterSnapshotIdentifier: 'other-cluster-copy',
      })
      .resolves({
        DBClusterSnapshots: [
          awsSnapshot('other-cluster-copy', '2026-11-24T02:05:00Z', {
            DBClusterIdentifier: 'idp-us-prod',
          }),
        ],
      })
      .on(DescribeDBClusterSnapshotsCommand, {
        DBClusterSnapshotIdentifier: 'rds:idp-eu-prod-2026-11-25-02-05',
      })
      .resolves({
        DBClusterSnapshots: [
          awsSnapshot(
            'rds:idp-eu-prod-2026-11-25-02-05',
            '2026-11-25T02:05:00Z',
            {
              Status: 'creating',
            },
          ),
        ],
      })
      .on(DescribeDBClusterSnapshotsCommand, {
        DBClusterSnapshotIdentifier: 'gone',
      })
      .rejects(
        new DBClusterSnapshotNotFoundFault({
          message: 'DBClusterSnapshot gone not found.',
          $metadata: {},
        }),
      );

    await expect(
      catalog().getRestorable(subject, 'rds:idp-eu-prod-2026-11-24-02-05'),
    ).resolves.toMatchObject({
      id: 'rds:idp-eu-prod-2026-11-24-02-05',
      status: 'available',
      expiresAt: '2026-12-29T02:05:00.000Z',
    });
    for (const id of ['other-cluster-copy', 'gone', '../x', '']) {
      await expect(catalog().getRestorable(subject, id)).rejects.toThrow(
        NotFoundError,
      );
    }
    const error = await catalog()
      .getRestorable(subject, 'rds:idp-eu-prod-2026-11-25-02-05')
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/is creating; only an available snapshot/);
    // Malformed ids never reach AWS.
    expect(
      rds
        .commandCalls(DescribeDBClusterSnapshotsCommand)
        .map(c => c.args[0].input.DBClusterSnapshotIdentifier),
    ).not.toContain('../x');
  });

  it('refuses to take snapshots or hand out dump files', async () => {
    await expect(catalog().take(subject)).rejects.toThrow(
      /snapshots are taken by AWS/,
    );
    await expect(catalog().take(subject)).rejects.toThrow(InputError);
    await expect(catalog().openDump(subject)).rejects.toThrow(InputError);
    expect(rds.calls()).toHaveLength(0);
  });

  it('asks AWS again only once the cached answer is old', async () => {
    rds
      .on(DescribeDBClusterSnapshotsCommand)
      .resolves({ DBClusterSnapshots: [] });
    const cached = new AuroraSnapshotCatalog({
      retentionDays: RETENTION,
      cacheTtlMs: 60_000,
    });
    await cached.list(subject);
    await cached.list(subject);
    expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
  });
});

describe('AuroraSnapshotCatalog (the real SDK client against a fake endpoint)', () => {
  /** An RDS Query API endpoint: throttles `throttleFirst` calls, then answers. */
  function fakeRds(throttleFirst: number) {
    const actions: string[] = [];
    const xml = (body: string, statusCode = 200) => ({
      response: {
        statusCode,
        reason: statusCode === 200 ? 'OK' : 'Bad Request',
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([Buffer.from(body)]),
      },
    });
    const handler = {
      handle: async (request: { body?: string }) => {
        const action = /Action=([A-Za-z]+)/.exec(String(request.body))?.[1];
        actions.push(action ?? '?');
        if (actions.length <= throttleFirst) {
          return xml(
            `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-${actions.length}</RequestId></ErrorResponse>`,
            400,
          );
        }
        if (action === 'DescribeDBClusters') {
          return xml(
            `<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>idp-eu-prod</DBClusterIdentifier><BackupRetentionPeriod>14</BackupRetentionPeriod><EarliestRestorableTime>2026-11-11T02:04:11Z</EarliestRestorableTime><LatestRestorableTime>2026-11-25T09:55:02Z</LatestRestorableTime></DBCluster></DBClusters></DescribeDBClustersResult><ResponseMetadata><RequestId>c-1</RequestId></ResponseMetadata></DescribeDBClustersResponse>`,
          );
        }
        return xml(
          `<DescribeDBClusterSnapshotsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClusterSnapshotsResult><DBClusterSnapshots><DBClusterSnapshot><DBClusterSnapshotIdentifier>rds:idp-eu-prod-2026-11-25-02-05</DBClusterSnapshotIdentifier><DBClusterIdentifier>idp-eu-prod</DBClusterIdentifier><SnapshotCreateTime>2026-11-25T02:05:00Z</SnapshotCreateTime><EngineVersion>16.4</EngineVersion><AllocatedStorage>3</AllocatedStorage><Status>available</Status><SnapshotType>automated</SnapshotType></DBClusterSnapshot></DBClusterSnapshots></DescribeDBClusterSnapshotsResult><ResponseMetadata><RequestId>s-1</RequestId></ResponseMetadata></DescribeDBClusterSnapshotsResponse>`,
        );
      },
    };
    const catalog = new AuroraSnapshotCatalog({
      retentionDays: RETENTION,
      clientFor: region =>
        new RDSClient({
          region,
          maxAttempts: AURORA_MAX_ATTEMPTS,
          retryMode: 'standard',
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
          requestHandler: handler as any,
        }),
    });
    return { catalog, actions };
  }

  it('backs off and retries throttled calls, then succeeds (QUALITY 22)', async () => {
    const { catalog, actions } = fakeRds(2);
    const result = await catalog.list(subject);
    expect(actions.length).toBe(4);
    expect(result).toMatchObject({
      retentionDays: 14,
      restoreWindow: {
        earliest: '2026-11-11T02:04:11.000Z',
        latest: '2026-11-25T09:55:02.000Z',
      },
      items: [
        {
          id: 'rds:idp-eu-prod-2026-11-25-02-05',
          status: 'available',
          sizeBytes: 3 * GIB,
          expiresAt: '2026-12-09T02:05:00.000Z',
        },
      ],
    });
  });
});

describeWithPostgres(
  'AuroraSnapshotCatalog, points in time (the fake AWS endpoint)',
  () => {
    let aws: FakeAwsServer;
    const namespace = uniqueNamespace();

    beforeAll(async () => {
      aws = await FakeAwsServer.start({ server: testConnection() });
      await query('postgres', `CREATE DATABASE "${namespace}-ledger"`);
      aws.rds.addSourceCluster({
        id: 'idp-eu-prod',
        databases: [`${namespace}-ledger`],
      });
      await aws.rds.captureRecoveryPoint(
        'idp-eu-prod',
        new Date('2026-11-18T02:04:11.250Z'),
      );
      await aws.rds.captureRecoveryPoint(
        'idp-eu-prod',
        new Date('2026-11-25T09:55:02Z'),
      );
    });

    afterAll(async () => {
      await aws?.close();
      await dropNamespace(namespace);
    });

    const catalog = () =>
      new AuroraSnapshotCatalog({
        retentionDays: RETENTION,
        clientFor: region => aws.rdsClient(region),
      });

    it('gives a time inside the window as pitr:<second>, and refuses one outside naming the window', async () => {
      expect(
        await catalog().getRestorablePointInTime(
          subject,
          new Date('2026-11-20T13:14:15Z'),
        ),
      ).toEqual({
        id: 'pitr:2026-11-20T13:14:15Z',
        createdAt: '2026-11-20T13:14:15.000Z',
      });
      await expect(
        catalog().getRestorablePointInTime(
          subject,
          new Date('2026-11-25T09:55:03Z'),
        ),
      ).rejects.toThrow(
        new InputError(
          '2026-11-25T09:55:03Z is outside the restore window of Aurora cluster idp-eu-prod: 2026-11-18T02:04:11Z to 2026-11-25T09:55:02Z',
        ),
      );
      const listed = await catalog().list(subject);
      expect(listed.restoreWindow).toEqual({
        earliest: '2026-11-18T02:04:11.250Z',
        latest: '2026-11-25T09:55:02.000Z',
        pointInTime: true,
      });
    });

    it('asks AWS each time: a window that moved on refuses what it allowed', async () => {
      const cached = catalog();
      const at = new Date('2026-11-19T00:00:00Z');
      await cached.list(subject);
      await expect(
        cached.getRestorablePointInTime(subject, at),
      ).resolves.toMatchObject({ id: 'pitr:2026-11-19T00:00:00Z' });
      aws.rds.forgetRecoveryPointsBefore(
        'idp-eu-prod',
        new Date('2026-11-20T00:00:00Z'),
      );
      await expect(
        cached.getRestorablePointInTime(subject, at),
      ).rejects.toThrow(
        /outside the restore window .*: 2026-11-25T09:55:02Z to/,
      );
    });
  },
);

describe('nextBackup', () => {
  it('is the next start of the daily backup window, in UTC', () => {
    const at = (iso: string) => new Date(iso);
    expect(nextBackup('02:00-02:30', at('2026-11-25T01:59:00Z'))).toEqual({
      nextScheduledAt: '2026-11-25T02:00:00.000Z',
    });
    expect(nextBackup('02:00-02:30', at('2026-11-25T02:00:00Z'))).toEqual({
      nextScheduledAt: '2026-11-26T02:00:00.000Z',
    });
    expect(nextBackup('soon', at('2026-11-25T02:00:00Z'))).toEqual({});
  });
});
