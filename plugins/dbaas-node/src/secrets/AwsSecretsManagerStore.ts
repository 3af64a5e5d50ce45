import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { Config } from '@backstage/config';
import { ForwardedError, InputError } from '@backstage/errors';
import { RoleAccess } from '@dbaas/plugin-dbaas-common';
import { redactError } from './redact';
import { DatabaseSecretStore, RoleSecret, RoleSecretMetadata } from './types';

/** @public */
export interface AwsSecretsManagerStoreOptions {
  /** A ready client (tests, custom credentials); otherwise one is created. */
  client?: SecretsManagerClient;
  /** Region of the created client; the SDK's default chain when not set. */
  region?: string;
  /**
   * Attempts per call, including retries. The SDK retries throttling
   * (`ThrottlingException`, 429) and 5xx errors with exponential backoff
   * and jitter; only the last failure reaches us. @defaultValue 5
   */
  maxAttempts?: number;
  /** KMS key for new secrets; the account's default key when not set. */
  kmsKeyId?: string;
  /**
   * More settings for the created client, e.g. `endpoint` for a VPC
   * endpoint or LocalStack, or `credentials`.
   */
  clientConfig?: SecretsManagerClientConfig;
}

/** Days a deleted secret can still be restored (the console default is 30). */
const RECOVERY_WINDOW_DAYS = 7;

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

/**
 * Role credentials in AWS Secrets Manager, one JSON secret per role with
 * the keys the chart writes: `username`, `password`, `endpoint`, `port`
 * (`port` as a string, as in the Kubernetes Secrets mirrored from them; a
 * number is accepted when reading).
 *
 * `describe` only calls DescribeSecret, which never returns the value. A
 * secret scheduled for deletion counts as missing; writing it again
 * restores it first, so re-creating a dropped database within the
 * recovery window works.
 *
 * @public
 */
export class AwsSecretsManagerStore implements DatabaseSecretStore {
  readonly #client: SecretsManagerClient;
  readonly #kmsKeyId?: string;

  /** Reads `dbaas.secrets.aws.region`. */
  static fromConfig(config: Config): AwsSecretsManagerStore {
    return new AwsSecretsManagerStore({
      region: config.getOptionalString('dbaas.secrets.aws.region'),
    });
  }

  constructor(options: AwsSecretsManagerStoreOptions = {}) {
    this.#client =
      options.client ??
      new SecretsManagerClient({
        region: options.region,
        maxAttempts: options.maxAttempts ?? 5,
        retryMode: 'standard',
        ...options.clientConfig,
      });
    this.#kmsKeyId = options.kmsKeyId;
  }

  async put(path: string, secret: RoleSecret): Promise<void> {
    checkPath(path);
    const SecretString = JSON.stringify({
      username: secret.username,
      password: secret.password,
      endpoint: secret.endpoint,
      port: String(secret.port),
    });
    await this.#call('store', path, [secret.password], async () => {
      try {
        await this.#client.send(
          new PutSecretValueCommand({ SecretId: path, SecretString }),
        );
        return;
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') {
          await this.#client.send(
            new CreateSecretCommand({
              Name: path,
              SecretString,
              KmsKeyId: this.#kmsKeyId,
              Description: `Database role ${secret.username} (managed by Backstage dbaas)`,
            }),
          );
          return;
        }
        if (!(await this.#isScheduledForDeletion(path, error))) {
          throw error;
        }
      }
      // Deleted within the recovery window: bring it back, then write.
      await this.#client.send(new RestoreSecretCommand({ SecretId: path }));
      await this.#client.send(
        new PutSecretValueCommand({ SecretId: path, SecretString }),
      );
    });
  }

  async get(path: string): Promise<RoleSecret | undefined> {
    checkPath(path);
    const value = await this.#call('read', path, [], async () => {
      try {
        const output = await this.#client.send(
          new GetSecretValueCommand({ SecretId: path }),
        );
        return output.SecretString;
      } catch (error) {
        if (
          errorName(error) === 'ResourceNotFoundException' ||
          (await this.#isScheduledForDeletion(path, error))
        ) {
          return undefined;
        }
        throw error;
      }
    });
    return value === undefined ? undefined : parseSecret(path, value);
  }

  async describe(
    path: string,
    access: RoleAccess,
  ): Promise<RoleSecretMetadata> {
    checkPath(path);
    const output = await this.#call('describe', path, [], () =>
      this.#describeSecret(path),
    );
    if (!output || output.DeletedDate) {
      return { path, access, exists: false };
    }
    return {
      path,
      access,
      exists: true,
      updatedAt: output.LastChangedDate ?? output.CreatedDate,
    };
  }

  async delete(path: string): Promise<void> {
    checkPath(path);
    await this.#call('delete', path, [], async () => {
      try {
        // Recoverable for 7 days: a mistaken drop can still get its
        // credentials back.
        await this.#client.send(
          new DeleteSecretCommand({
            SecretId: path,
            RecoveryWindowInDays: RECOVERY_WINDOW_DAYS,
            ForceDeleteWithoutRecovery: false,
          }),
        );
      } catch (error) {
        if (
          errorName(error) === 'ResourceNotFoundException' ||
          (await this.#isScheduledForDeletion(path, error))
        ) {
          return;
        }
        throw error;
      }
    });
  }

  async #describeSecret(
    path: string,
  ): Promise<DescribeSecretCommandOutput | undefined> {
    try {
      return await this.#client.send(
        new DescribeSecretCommand({ SecretId: path }),
      );
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Secrets Manager answers InvalidRequestException for most operations on
   * a secret scheduled for deletion; DescribeSecret tells that case apart
   * from other invalid requests.
   */
  async #isScheduledForDeletion(
    path: string,
    error: unknown,
  ): Promise<boolean> {
    if (errorName(error) !== 'InvalidRequestException') {
      return false;
    }
    const output = await this.#describeSecret(path);
    return Boolean(output?.DeletedDate);
  }

  /**
   * Wraps the final failure (after the SDK's own retries) with the action
   * and secret path. The cause is rebuilt from name and message only, so
   * nothing the SDK attached to its error (request or response data) can
   * carry a value along.
   */
  async #call<T>(
    action: string,
    path: string,
    secrets: string[],
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const safe = redactError(error, secrets);
      const cause = new Error(safe.message);
      cause.name = safe.name;
      const status = (error as { $metadata?: { httpStatusCode?: number } })
        ?.$metadata?.httpStatusCode;
      throw new ForwardedError(
        `Could not ${action} the secret '${path}' in AWS Secrets Manager${
          status ? ` (HTTP ${status})` : ''
        }`,
        cause,
      );
    }
  }
}

function checkPath(path: string) {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new InputError('A secret path must be a non-empty string');
  }
}

/** Never quotes the value: it holds a password. */
function parseSecret(path: string, value: string): RoleSecret {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const data = (parsed ?? {}) as Record<string, unknown>;
  const port = Number(data.port);
  if (
    typeof data.username !== 'string' ||
    typeof data.password !== 'string' ||
    typeof data.endpoint !== 'string' ||
    !Number.isInteger(port)
  ) {
    throw new InputError(
      `The secret '${path}' is not a JSON object with the keys username, password, endpoint and port`,
    );
  }
  return {
    username: data.username,
    password: data.password,
    endpoint: data.endpoint,
    port,
  };
}
