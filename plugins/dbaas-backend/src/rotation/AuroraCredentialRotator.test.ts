import { randomBytes } from 'node:crypto';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import {
  parseConnectionString,
  SecretsManagerRotation,
} from '@dbaas/plugin-dbaas-node';
import { FakeAwsError } from '../__testUtils__/fakeAws/awsWire';
import { FakeAwsServer } from '../__testUtils__/fakeAws/FakeAwsServer';
import {
  describeWithCluster,
  testClusterUrl,
} from '../__testUtils__/testCluster';
import { AuroraCredentialRotator } from './CredentialRotators';
import { createRotationTestbed, users } from './__testUtils__/rotationTestbed';

jest.setTimeout(60_000);

const LAMBDA =
  'arn:aws:lambda:eu-west-1:123456789012:function:rds-alternating-users';

describeWithCluster('Aurora credential rotation (Secrets Manager)', () => {
  let aws: FakeAwsServer;
  let rotation: SecretsManagerRotation;
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  beforeAll(async () => {
    aws = await FakeAwsServer.start({
      server: parseConnectionString(testClusterUrl!, 'test'),
    });
    rotation = new SecretsManagerRotation({ clientConfig: aws.clientConfig() });
  });
  afterAll(() => aws.close());

  /** A chart-made secret, with a rotation function configured on it. */
  async function chartSecret(path: string, withRotation = true) {
    await aws.secretsManagerCall('CreateSecret', {
      Name: path,
      SecretString: JSON.stringify({
        username: 'x-ledger-write',
        password: 'chart-made-password',
        endpoint: 'aurora.internal',
        port: '5432',
      }),
    });
    if (withRotation) {
      aws.secretsManager.enableRotation(path, LAMBDA, 30);
    }
  }

  it('starts a rotation (AWSPENDING), refuses a second one while it is pending, and reads its end', async () => {
    const path = `customer/a${randomBytes(3).toString('hex')}/ledger-write`;
    await chartSecret(path);
    const before = await rotation.describe(path);
    expect(before).toMatchObject({ rotationEnabled: true });
    expect(before.pendingVersionId).toBeUndefined();
    expect(before.lastRotatedAt).toBeUndefined();

    const { versionId } = await rotation.rotate(path);
    expect(versionId).toEqual(expect.any(String));
    expect((await rotation.describe(path)).pendingVersionId).toBe(versionId);
    await expect(rotation.rotate(path)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/still in progress/),
    });

    aws.secretsManager.completeRotation(path);
    const after = await rotation.describe(path);
    expect(after.pendingVersionId).toBeUndefined();
    expect(after.lastRotatedAt).toBeInstanceOf(Date);
    expect(
      after.nextRotationAt!.getTime() - after.lastRotatedAt!.getTime(),
    ).toBe(30 * 86_400_000);
  });

  it('says which secret is missing, or has no rotation function, without its value', async () => {
    await expect(rotation.rotate('customer/none/here')).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        "The secret 'customer/none/here' does not exist in AWS Secrets Manager",
    });
    await expect(rotation.describe('customer/none/here')).rejects.toMatchObject(
      {
        name: 'NotFoundError',
      },
    );
    const path = `customer/b${randomBytes(3).toString('hex')}/ledger-read`;
    await chartSecret(path, false);
    const error = await rotation.rotate(path).catch(e => e);
    expect(error.message).toMatch(
      /Could not rotate the secret '.*' in AWS Secrets Manager; caused by InvalidRequestException: No Lambda rotation function ARN/,
    );
    expect(JSON.stringify(error)).not.toContain('chart-made-password');
    expect(String(error.cause?.message)).not.toContain('chart-made-password');
  });

  it('keeps the request running until Secrets Manager finishes, then succeeded; a stuck one fails after the timeout', async () => {
    const namespace = `aur${randomBytes(4).toString('hex')}`;
    const bed = await createRotationTestbed(
      await databases.init('POSTGRES_15'),
      {
        namespace,
        clusterUrl: testClusterUrl!,
        provision: false,
        rotation: { pendingTimeout: { hours: 1 } },
        rotators: () =>
          new Map([['local', new AuroraCredentialRotator('local', rotation)]]),
      },
    );
    const names = deriveDatabaseNames(namespace, 'ledger');
    await chartSecret(names.secretManagerPaths.write);
    await chartSecret(names.secretManagerPaths.read);

    const started = await bed
      .call(
        'post',
        `/databases/${namespace}/ledger/credentials/write/rotate`,
        users.alice,
      )
      .expect(201);
    expect(started.body.state).toBe('running');
    const credentials = await bed
      .call('get', `/databases/${namespace}/ledger/credentials`, users.alice)
      .expect(200);
    expect(
      credentials.body.roles.find((r: any) => r.access === 'write'),
    ).toMatchObject({
      rotationEnabled: true,
      secretExists: true,
      activeRotation: { id: started.body.id, state: 'running' },
    });
    expect(
      credentials.body.roles.find((r: any) => r.access === 'admin'),
    ).toMatchObject({ secretExists: false });

    await bed.service.runDue();
    expect(
      await bed.service.list(
        { state: 'running' },
        mockCredentials.user(users.alice),
      ),
    ).toHaveLength(1);
    aws.secretsManager.completeRotation(names.secretManagerPaths.write);
    await bed.service.runDue();
    const done = await bed
      .call('get', `/databases/${namespace}/ledger/credentials`, users.alice)
      .expect(200);
    expect(done.body.recentRotations[0]).toMatchObject({
      id: started.body.id,
      state: 'succeeded',
    });
    expect(
      done.body.roles.find((r: any) => r.access === 'write').lastRotatedAt,
    ).toEqual(expect.any(String));

    // A rotation function that never finishes.
    const stuck = await bed
      .call(
        'post',
        `/databases/${namespace}/ledger/credentials/read/rotate`,
        users.alice,
      )
      .expect(201);
    bed.clock.advance(2 * 3_600_000);
    await bed.service.runDue();
    const failed = await bed
      .call('get', '/credential-rotations?state=failed', users.alice)
      .expect(200);
    expect(failed.body.items).toEqual([
      expect.objectContaining({
        id: stuck.body.id,
        error: expect.stringMatching(
          /still has the version .* pending \(AWSPENDING\)/,
        ),
      }),
    ]);
    expect(bed.sent.map(n => n.title)).toEqual(
      expect.arrayContaining([
        `Rotation of the write credential of ${namespace}-ledger started in AWS Secrets Manager`,
        `Rotated the write credential of ${namespace}-ledger`,
        `Rotation of the read credential of ${namespace}-ledger failed`,
      ]),
    );
  });

  it('fails the request with the reason when RotateSecret fails (throttled, missing)', async () => {
    const namespace = `aur${randomBytes(4).toString('hex')}`;
    const bed = await createRotationTestbed(
      await databases.init('POSTGRES_15'),
      {
        namespace,
        clusterUrl: testClusterUrl!,
        provision: false,
        rotators: () =>
          new Map([['local', new AuroraCredentialRotator('local', rotation)]]),
      },
    );
    const failed = await bed
      .call(
        'post',
        `/databases/${namespace}/ledger/credentials/admin/rotate`,
        users.alice,
      )
      .expect(201);
    expect(failed.body).toMatchObject({
      state: 'failed',
      error: `The secret 'customer/${namespace}/${namespace}-ledger-admin' does not exist in AWS Secrets Manager`,
    });
    const path = deriveDatabaseNames(namespace, 'ledger').secretManagerPaths
      .admin;
    await chartSecret(path);
    aws.secretsManager.failNext(
      'RotateSecret',
      new FakeAwsError('ThrottlingException', 'Rate exceeded', 400),
    );
    const throttled = await bed
      .call(
        'post',
        `/databases/${namespace}/ledger/credentials/admin/rotate`,
        users.alice,
      )
      .expect(201);
    expect(throttled.body.error).toMatch(/ThrottlingException: Rate exceeded/);
    expect(
      bed.audits
        .filter(a => a.eventId === 'credential-rotation-run')
        .map(a => a.outcome),
    ).toEqual(['fail', 'fail']);
  });
});
