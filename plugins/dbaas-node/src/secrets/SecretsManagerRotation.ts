import {
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import {
  ConflictError,
  ForwardedError,
  NotFoundError,
} from '@backstage/errors';

/**
 * What Secrets Manager says about a secret's rotation. Never a value.
 *
 * @public
 */
export interface SecretRotationState {
  rotationEnabled: boolean;
  lastRotatedAt?: Date;
  nextRotationAt?: Date;
  /** When the value last changed. */
  changedAt?: Date;
  /** A version staged AWSPENDING: a rotation is under way (or failed half-way). */
  pendingVersionId?: string;
}

/** @public */
export interface SecretsManagerRotationOptions {
  client?: SecretsManagerClient;
  region?: string;
  clientConfig?: SecretsManagerClientConfig;
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

/**
 * Rotation of a secret by Secrets Manager itself (the secret's rotation
 * function, e.g. the alternating-users function the chart sets up on
 * Aurora): `rotate` is RotateSecret, `describe` is DescribeSecret. Neither
 * reads or returns the secret's value.
 *
 * @public
 */
export class SecretsManagerRotation {
  readonly #client: SecretsManagerClient;

  constructor(options: SecretsManagerRotationOptions = {}) {
    this.#client =
      options.client ??
      new SecretsManagerClient({
        region: options.region,
        maxAttempts: 5,
        retryMode: 'standard',
        ...options.clientConfig,
      });
  }

  /**
   * Starts a rotation now; returns the new version's id (staged AWSPENDING
   * until the rotation function finishes). A rotation still pending is a
   * ConflictError, a missing secret a NotFoundError.
   */
  async rotate(path: string): Promise<{ versionId?: string }> {
    try {
      const output = await this.#client.send(
        new RotateSecretCommand({ SecretId: path, RotateImmediately: true }),
      );
      return { versionId: output.VersionId };
    } catch (error) {
      throw this.#wrap('rotate', path, error);
    }
  }

  async describe(path: string): Promise<SecretRotationState> {
    try {
      const output = await this.#client.send(
        new DescribeSecretCommand({ SecretId: path }),
      );
      const pending = Object.entries(output.VersionIdsToStages ?? {}).find(
        ([, stages]) => stages.includes('AWSPENDING'),
      );
      return {
        rotationEnabled: output.RotationEnabled === true,
        lastRotatedAt: output.LastRotatedDate,
        nextRotationAt: output.NextRotationDate,
        changedAt: output.LastChangedDate ?? output.CreatedDate,
        pendingVersionId: pending?.[0],
      };
    } catch (error) {
      throw this.#wrap('describe the rotation of', path, error);
    }
  }

  #wrap(action: string, path: string, error: unknown): Error {
    const name = errorName(error);
    const message = (error as Error)?.message ?? String(error);
    if (name === 'ResourceNotFoundException') {
      return new NotFoundError(
        `The secret '${path}' does not exist in AWS Secrets Manager`,
      );
    }
    if (
      name === 'InvalidRequestException' &&
      /rotation isn't complete|rotation is not complete/i.test(message)
    ) {
      return new ConflictError(
        `A rotation of the secret '${path}' is still in progress in AWS Secrets Manager`,
      );
    }
    // Rebuilt from name and message only: nothing the SDK attached.
    const cause = new Error(message);
    cause.name = name ?? 'Error';
    return new ForwardedError(
      `Could not ${action} the secret '${path}' in AWS Secrets Manager`,
      cause,
    );
  }
}
