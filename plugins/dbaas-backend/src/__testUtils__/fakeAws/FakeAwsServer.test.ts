import {
  DescribeDBClustersCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { AwsSecretsManagerStore } from '@dbaas/plugin-dbaas-node';
import { Client } from 'pg';
import {
  describeWithPostgres,
  dropNamespace,
  query,
  testConnection,
  uniqueNamespace,
} from '../../restores/workflow/engines/testFixtures';
import { FakeAwsServer } from './FakeAwsServer';

jest.setTimeout(60_000);

const T1 = new Date('2026-12-01T10:00:00Z');
const T2 = new Date('2026-12-01T11:00:00Z');

describeWithPostgres('FakeAwsServer', () => {
  let aws: FakeAwsServer;
  const namespace = uniqueNamespace();
  const database = `${namespace}-orders`;

  beforeAll(async () => {
    aws = await FakeAwsServer.start({ server: testConnection() });
    await query('postgres', `CREATE DATABASE "${database}"`);
    await query(database, `CREATE TABLE items (label text)`);
    aws.rds.addSourceCluster({ id: 'shared', databases: [database] });
    await query(database, `INSERT INTO items VALUES ('one')`);
    await aws.rds.captureRecoveryPoint('shared', T1);
    await query(database, `INSERT INTO items VALUES ('two')`);
    await aws.rds.captureRecoveryPoint('shared', T2);
  });

  afterAll(async () => {
    await aws?.close();
    await dropNamespace(namespace);
  });

  it('answers the RDS SDK with the window, and refuses a time outside it', async () => {
    const rds = aws.rdsClient();
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: 'shared' }),
    );
    expect(DBClusters?.[0]).toMatchObject({
      DBClusterIdentifier: 'shared',
      EarliestRestorableTime: T1,
      LatestRestorableTime: T2,
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-123', Status: 'active' }],
    });
    await expect(
      rds.send(
        new RestoreDBClusterToPointInTimeCommand({
          DBClusterIdentifier: 'too-early',
          SourceDBClusterIdentifier: 'shared',
          RestoreToTime: new Date(T1.getTime() - 1000),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRestoreFault' });
    await expect(
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' })),
    ).rejects.toMatchObject({ name: 'DBClusterNotFoundFault' });
  });

  it('serves a point-in-time copy under the original name', async () => {
    const rds = aws.rdsClient();
    const { DBCluster } = await rds.send(
      new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: 'pitr-copy',
        SourceDBClusterIdentifier: 'shared',
        RestoreToTime: new Date(T1.getTime() + 30 * 60_000),
        Tags: [{ Key: 'dbaas.io/restore', Value: 'r1' }],
      }),
    );
    expect(DBCluster).toMatchObject({ Status: 'creating' });
    expect(aws.rds.tempCluster('pitr-copy')?.tags).toEqual({
      'dbaas.io/restore': 'r1',
    });
    const base = testConnection();
    const client = new Client({
      host: DBCluster!.Endpoint,
      port: DBCluster!.Port,
      user: base.user,
      password: base.password,
      database,
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT label, current_database() AS db FROM items`,
      );
      // The content of T1, from the copy: 'two' came later.
      expect(rows.map(r => r.label)).toEqual(['one']);
      expect(rows[0].db).toMatch(/^fakerds_/);
    } finally {
      await client.end();
    }
  });

  it('keeps secrets as Secrets Manager does, deletion and restore included', async () => {
    const store = new AwsSecretsManagerStore({
      clientConfig: aws.clientConfig(),
    });
    const secret = {
      username: 'u',
      password: 'p',
      endpoint: 'db.internal',
      port: 5432,
    };
    await store.put('customer/a/u', secret);
    expect(await store.get('customer/a/u')).toEqual(secret);
    await store.delete('customer/a/u');
    expect(aws.secretsManager.deletedNames()).toEqual(['customer/a/u']);
    const { status, body } = await aws.secretsManagerCall('CreateSecret', {
      Name: 'customer/a/u',
      SecretString: '{}',
    });
    expect(status).toBe(400);
    expect(body.__type).toBe('InvalidRequestException');
    expect(await store.get('customer/a/u')).toBeUndefined();
    // Writing it again restores it within the recovery window.
    await store.put('customer/a/u', { ...secret, password: 'q' });
    expect((await store.get('customer/a/u'))?.password).toBe('q');
    expect(aws.secretsManager.liveNames()).toEqual(['customer/a/u']);
  });
});
