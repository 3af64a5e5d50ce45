import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { ConfigReader } from '@backstage/config';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AwsSecretsManagerStore } from './AwsSecretsManagerStore';

const PATH = 'customer/team-a/team-a-orders-write';
const secret = {
  username: 'team-a-orders-write',
  password: 'Aws-Secret-Password-0123456789abc',
  endpoint: 'idp.cluster-x.eu-west-1.rds.amazonaws.com',
  port: 5432,
};
const stored = JSON.stringify({ ...secret, port: '5432' });

const notFound = () =>
  new ResourceNotFoundException({
    message: "Secrets Manager can't find the specified secret.",
    $metadata: { httpStatusCode: 400 },
  });
const markedForDeletion = () =>
  new InvalidRequestException({
    message:
      "You can't perform this operation on the secret because it was marked for deletion.",
    $metadata: { httpStatusCode: 400 },
  });
const throttled = () =>
  new SecretsManagerServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400, attempts: 5 },
  });

/** What a promise rejected with; fails the test if it resolved. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('AwsSecretsManagerStore', () => {
  const client = new SecretsManagerClient({ region: 'eu-west-1' });
  const sm = mockClient(client);
  const store = new AwsSecretsManagerStore({ client });

  beforeEach(() => sm.reset());

  describe('put', () => {
    it('writes a new version of an existing secret with the chart keys', async () => {
      sm.on(PutSecretValueCommand).resolves({});
      await store.put(PATH, secret);
      expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({
        SecretId: PATH,
        SecretString: stored,
      });
      expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
    });

    it('creates the secret when it does not exist yet', async () => {
      sm.on(PutSecretValueCommand).rejects(notFound());
      sm.on(CreateSecretCommand).resolves({});
      await store.put(PATH, secret);
      const { input } = sm.commandCalls(CreateSecretCommand)[0].args[0];
      expect(input).toMatchObject({ Name: PATH, SecretString: stored });
      expect(JSON.parse(input.SecretString!)).toEqual({
        username: secret.username,
        password: secret.password,
        endpoint: secret.endpoint,
        port: '5432',
      });
    });

    it('restores a secret scheduled for deletion, then writes it', async () => {
      sm.on(PutSecretValueCommand)
        .rejectsOnce(markedForDeletion())
        .resolves({});
      sm.on(DescribeSecretCommand).resolves({
        Name: PATH,
        DeletedDate: new Date(),
      });
      sm.on(RestoreSecretCommand).resolves({});
      await store.put(PATH, secret);
      expect(sm.commandCalls(RestoreSecretCommand)).toHaveLength(1);
      expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(2);
    });

    it('surfaces throttling (after the SDK retries) with the path, never the password', async () => {
      sm.on(PutSecretValueCommand).rejects(throttled());
      const error = await rejection(store.put(PATH, secret));
      expect(error.name).toBe('ThrottlingException');
      expect(error.message).toBe(
        `Could not store the secret '${PATH}' in AWS Secrets Manager (HTTP 400); caused by ThrottlingException: Rate exceeded`,
      );
      expect(
        `${error.message}${error.stack}${JSON.stringify(error)}`,
      ).not.toContain(secret.password);
    });

    it('removes the password even if an error message quotes it', async () => {
      sm.on(PutSecretValueCommand).rejects(
        new Error(`bad SecretString ${stored}`),
      );
      const error = await rejection(store.put(PATH, secret));
      expect(error.message).toContain('bad SecretString');
      expect(
        `${error.message}${error.stack}${JSON.stringify(error)}`,
      ).not.toContain(secret.password);
    });
  });

  describe('get', () => {
    it('reads the JSON secret, with port as string or number', async () => {
      sm.on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: stored })
        .resolvesOnce({ SecretString: JSON.stringify(secret) });
      expect(await store.get(PATH)).toEqual(secret);
      expect(await store.get(PATH)).toEqual(secret);
    });

    it('returns undefined when the secret does not exist or is being deleted', async () => {
      sm.on(GetSecretValueCommand)
        .rejectsOnce(notFound())
        .rejectsOnce(markedForDeletion());
      sm.on(DescribeSecretCommand).resolves({ DeletedDate: new Date() });
      expect(await store.get(PATH)).toBeUndefined();
      expect(await store.get(PATH)).toBeUndefined();
    });

    it('refuses a value in another format without quoting it', async () => {
      sm.on(GetSecretValueCommand).resolves({
        SecretString: JSON.stringify({ user: 'x', password: secret.password }),
      });
      const error = await rejection(store.get(PATH));
      expect(error.message).toBe(
        `The secret '${PATH}' is not a JSON object with the keys username, password, endpoint and port`,
      );
    });

    it('wraps other errors with the path', async () => {
      sm.on(GetSecretValueCommand).rejects(
        Object.assign(new Error('Internal error'), {
          name: 'InternalServiceError',
          $metadata: { httpStatusCode: 500 },
        }),
      );
      await expect(store.get(PATH)).rejects.toThrow(
        `Could not read the secret '${PATH}' in AWS Secrets Manager (HTTP 500); caused by InternalServiceError: Internal error`,
      );
    });
  });

  describe('describing a secret', () => {
    it('uses DescribeSecret only, never the value', async () => {
      const changed = new Date('2026-01-02T03:04:05Z');
      sm.on(DescribeSecretCommand).resolves({
        Name: PATH,
        LastChangedDate: changed,
      });
      expect(await store.describe(PATH, 'write')).toEqual({
        path: PATH,
        access: 'write',
        exists: true,
        updatedAt: changed,
      });
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    });

    it('reports missing and deleted secrets as not existing', async () => {
      sm.on(DescribeSecretCommand)
        .rejectsOnce(notFound())
        .resolvesOnce({ Name: PATH, DeletedDate: new Date() });
      const missing = { path: PATH, access: 'read', exists: false };
      expect(await store.describe(PATH, 'read')).toEqual(missing);
      expect(await store.describe(PATH, 'read')).toEqual(missing);
    });

    it('surfaces throttling with context', async () => {
      sm.on(DescribeSecretCommand).rejects(throttled());
      await expect(store.describe(PATH, 'read')).rejects.toThrow(
        `Could not describe the secret '${PATH}' in AWS Secrets Manager (HTTP 400); caused by ThrottlingException: Rate exceeded`,
      );
    });
  });

  describe('delete', () => {
    it('schedules deletion with a 7-day recovery window', async () => {
      sm.on(DeleteSecretCommand).resolves({});
      await store.delete(PATH);
      expect(sm.commandCalls(DeleteSecretCommand)[0].args[0].input).toEqual({
        SecretId: PATH,
        RecoveryWindowInDays: 7,
        ForceDeleteWithoutRecovery: false,
      });
    });

    it('is a no-op for missing or already deleted secrets', async () => {
      sm.on(DeleteSecretCommand)
        .rejectsOnce(notFound())
        .rejectsOnce(markedForDeletion());
      sm.on(DescribeSecretCommand).resolves({ DeletedDate: new Date() });
      await expect(store.delete(PATH)).resolves.toBeUndefined();
      await expect(store.delete(PATH)).resolves.toBeUndefined();
    });
  });

  it('reads the region from config', () => {
    expect(
      AwsSecretsManagerStore.fromConfig(
        new ConfigReader({
          dbaas: { secrets: { aws: { region: 'eu-west-1' } } },
        }),
      ),
    ).toBeInstanceOf(AwsSecretsManagerStore);
  });
});

/**
 * The SDK's own retries, against a local HTTP endpoint speaking the
 * Secrets Manager JSON protocol (aws-sdk-client-mock bypasses them).
 */
describe('AwsSecretsManagerStore retries', () => {
  let server: Server;
  let replies: Array<{ status: number; type?: string }> = [];
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests += 1;
        const reply = replies.shift() ?? { status: 200 };
        res.statusCode = reply.status;
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (reply.type) {
          res.setHeader('x-amzn-errortype', reply.type);
          res.end(
            JSON.stringify({ __type: reply.type, message: 'Rate exceeded' }),
          );
        } else {
          res.end(JSON.stringify({ Name: PATH, LastChangedDate: 1767322800 }));
        }
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    requests = 0;
  });

  function storeWithDefaults() {
    const { port } = server.address() as AddressInfo;
    return new AwsSecretsManagerStore({
      region: 'eu-west-1',
      clientConfig: {
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
    });
  }

  it('retries throttling until it succeeds', async () => {
    replies = [
      { status: 400, type: 'ThrottlingException' },
      { status: 400, type: 'ThrottlingException' },
    ];
    await expect(
      storeWithDefaults().describe(PATH, 'read'),
    ).resolves.toMatchObject({
      exists: true,
    });
    expect(requests).toBe(3);
  });

  it('gives up after 5 attempts on 5xx and surfaces the error with the path', async () => {
    replies = Array.from({ length: 10 }, () => ({
      status: 500,
      type: 'InternalServiceError',
    }));
    const error = await rejection(storeWithDefaults().describe(PATH, 'read'));
    expect(requests).toBe(5);
    expect(error.message).toBe(
      `Could not describe the secret '${PATH}' in AWS Secrets Manager (HTTP 500); caused by InternalServiceError: Rate exceeded`,
    );
  }, 30_000);
});
