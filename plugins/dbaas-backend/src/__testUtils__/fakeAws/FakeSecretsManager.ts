import { randomBytes, randomUUID } from 'node:crypto';
import { FakeAwsError } from './awsWire';

interface Secret {
  name: string;
  arn: string;
  value?: string;
  versionId?: string;
  /** Version ids to their stages, beyond the current value's AWSCURRENT. */
  previousVersionId?: string;
  pending?: { versionId: string; value?: string };
  rotation?: {
    lambdaArn: string;
    days?: number;
    lastRotated?: Date;
  };
  description?: string;
  kmsKeyId?: string;
  created: Date;
  changed: Date;
  deleted?: Date;
}

const DAY_MS = 24 * 3_600_000;

/**
 * A small Secrets Manager behind the real JSON 1.1 protocol, with the
 * rules of the operations the suite uses as AWS documents them: a name
 * exists once (ResourceExistsException), a secret scheduled for deletion
 * refuses reads, writes and a new CreateSecret with its name
 * (InvalidRequestException) until RestoreSecret, and DescribeSecret shows
 * its DeletedDate; the recovery window is 7 to 30 days, or
 * ForceDeleteWithoutRecovery removes it at once. Rotation as AWS runs it
 * with a rotation function: RotateSecret (needs a function ARN, on the
 * secret or in the call) starts a version staged AWSPENDING and refuses a
 * second one while it is pending; the function's work is
 * {@link FakeSecretsManager.completeRotation} (AWSPENDING becomes
 * AWSCURRENT, the old one AWSPREVIOUS, LastRotatedDate set); a rotation
 * whose function failed stays AWSPENDING; DescribeSecret shows
 * RotationEnabled, RotationRules, LastRotatedDate, NextRotationDate and
 * VersionIdsToStages. Not modelled: resource policies, KMS.
 */
export class FakeSecretsManager {
  readonly #secrets = new Map<string, Secret>();
  readonly #failures = new Map<string, Array<FakeAwsError | null>>();
  readonly calls: Array<{ operation: string; secretId?: string }> = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * The next calls of `operation` fail with these errors, in order; a
   * `null` lets that call through (to fail a later one).
   */
  failNext(operation: string, ...errors: Array<FakeAwsError | null>) {
    this.#failures.set(operation, [
      ...(this.#failures.get(operation) ?? []),
      ...errors,
    ]);
  }

  /** Names of the secrets that exist and are not scheduled for deletion. */
  liveNames(): string[] {
    return [...this.#secrets.values()]
      .filter(s => !s.deleted)
      .map(s => s.name)
      .sort();
  }

  /** Names scheduled for deletion (recoverable). */
  deletedNames(): string[] {
    return [...this.#secrets.values()]
      .filter(s => s.deleted)
      .map(s => s.name)
      .sort();
  }

  async handle(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<unknown> {
    this.calls.push({
      operation,
      secretId: (input.SecretId ?? input.Name) as string | undefined,
    });
    const failure = this.#failures.get(operation)?.shift();
    if (failure) {
      throw failure;
    }
    switch (operation) {
      case 'CreateSecret':
        return this.#create(input);
      case 'PutSecretValue':
        return this.#put(input);
      case 'GetSecretValue':
        return this.#get(input);
      case 'DescribeSecret':
        return this.#describe(input);
      case 'DeleteSecret':
        return this.#delete(input);
      case 'RestoreSecret':
        return this.#restore(input);
      case 'RotateSecret':
        return this.#rotate(input);
      default:
        throw new FakeAwsError(
          'InvalidAction',
          `${operation} is not in the fake Secrets Manager`,
        );
    }
  }

  #find(id: unknown): Secret {
    const secret =
      this.#secrets.get(String(id)) ??
      [...this.#secrets.values()].find(s => s.arn === id);
    if (!secret) {
      throw new FakeAwsError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    return secret;
  }

  #live(id: unknown, action: string): Secret {
    const secret = this.#find(id);
    if (secret.deleted) {
      throw new FakeAwsError(
        'InvalidRequestException',
        `You can't perform this operation on the secret because it was marked for deletion (${action}).`,
      );
    }
    return secret;
  }

  #create(input: Record<string, unknown>) {
    const name = String(input.Name ?? '');
    if (!name) {
      throw new FakeAwsError('InvalidParameterException', 'Name is required');
    }
    const existing = this.#secrets.get(name);
    if (existing?.deleted) {
      throw new FakeAwsError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing) {
      throw new FakeAwsError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const now = this.now();
    const secret: Secret = {
      name,
      arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-${randomBytes(
        3,
      ).toString('hex')}`,
      description: input.Description as string | undefined,
      kmsKeyId: input.KmsKeyId as string | undefined,
      created: now,
      changed: now,
    };
    if (typeof input.SecretString === 'string') {
      secret.value = input.SecretString;
      secret.versionId = randomUUID();
    }
    this.#secrets.set(name, secret);
    return { ARN: secret.arn, Name: name, VersionId: secret.versionId };
  }

  #put(input: Record<string, unknown>) {
    const secret = this.#live(input.SecretId, 'PutSecretValue');
    if (typeof input.SecretString !== 'string') {
      throw new FakeAwsError(
        'InvalidParameterException',
        'You must provide either SecretString or SecretBinary.',
      );
    }
    secret.previousVersionId = secret.versionId;
    secret.value = input.SecretString;
    secret.versionId = randomUUID();
    secret.changed = this.now();
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
    };
  }

  #get(input: Record<string, unknown>) {
    const secret = this.#live(input.SecretId, 'GetSecretValue');
    if (secret.value === undefined) {
      throw new FakeAwsError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      SecretString: secret.value,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.changed.getTime() / 1000,
    };
  }

  #describe(input: Record<string, unknown>) {
    const secret = this.#find(input.SecretId);
    return {
      ARN: secret.arn,
      Name: secret.name,
      Description: secret.description,
      KmsKeyId: secret.kmsKeyId,
      CreatedDate: secret.created.getTime() / 1000,
      LastChangedDate: secret.changed.getTime() / 1000,
      RotationEnabled: Boolean(secret.rotation),
      ...(secret.rotation
        ? {
            RotationLambdaARN: secret.rotation.lambdaArn,
            ...(secret.rotation.days
              ? {
                  RotationRules: {
                    AutomaticallyAfterDays: secret.rotation.days,
                  },
                }
              : {}),
            ...(secret.rotation.lastRotated
              ? {
                  LastRotatedDate: secret.rotation.lastRotated.getTime() / 1000,
                  ...(secret.rotation.days
                    ? {
                        NextRotationDate:
                          (secret.rotation.lastRotated.getTime() +
                            secret.rotation.days * DAY_MS) /
                          1000,
                      }
                    : {}),
                }
              : {}),
          }
        : {}),
      VersionIdsToStages: this.#stages(secret),
      ...(secret.deleted
        ? { DeletedDate: secret.deleted.getTime() / 1000 }
        : {}),
    };
  }

  #delete(input: Record<string, unknown>) {
    const secret = this.#find(input.SecretId);
    const force = input.ForceDeleteWithoutRecovery === true;
    const days = input.RecoveryWindowInDays as number | undefined;
    if (force && days !== undefined) {
      throw new FakeAwsError(
        'InvalidParameterException',
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    if (days !== undefined && !(days >= 7 && days <= 30)) {
      throw new FakeAwsError(
        'InvalidParameterException',
        'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
      );
    }
    if (secret.deleted && !force) {
      throw new FakeAwsError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was already scheduled for deletion.",
      );
    }
    const now = this.now();
    if (force) {
      this.#secrets.delete(secret.name);
    } else {
      secret.deleted = now;
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      DeletionDate:
        (now.getTime() + (force ? 0 : (days ?? 30) * DAY_MS)) / 1000,
    };
  }

  #stages(secret: Secret): Record<string, string[]> {
    const stages: Record<string, string[]> = {};
    if (secret.versionId) {
      stages[secret.versionId] = ['AWSCURRENT'];
    }
    if (secret.previousVersionId) {
      stages[secret.previousVersionId] = ['AWSPREVIOUS'];
    }
    if (secret.pending) {
      stages[secret.pending.versionId] = ['AWSPENDING'];
    }
    return stages;
  }

  #rotate(input: Record<string, unknown>) {
    const secret = this.#live(input.SecretId, 'RotateSecret');
    if (secret.pending) {
      throw new FakeAwsError(
        'InvalidRequestException',
        "A previous rotation isn't complete. That rotation will be reattempted.",
      );
    }
    const lambdaArn =
      (input.RotationLambdaARN as string | undefined) ??
      secret.rotation?.lambdaArn;
    if (!lambdaArn) {
      throw new FakeAwsError(
        'InvalidRequestException',
        'No Lambda rotation function ARN is associated with this secret.',
      );
    }
    const rules = input.RotationRules as
      | { AutomaticallyAfterDays?: number }
      | undefined;
    const days = rules?.AutomaticallyAfterDays ?? secret.rotation?.days;
    if (days !== undefined && !(days >= 1 && days <= 1000)) {
      throw new FakeAwsError(
        'InvalidParameterException',
        'AutomaticallyAfterDays must be between 1 and 1000.',
      );
    }
    secret.rotation = { ...secret.rotation, lambdaArn, days };
    const token = input.ClientRequestToken as string | undefined;
    const versionId = token ?? randomUUID();
    if (input.RotateImmediately !== false) {
      secret.pending = { versionId };
    }
    return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
  }

  /**
   * What the rotation function does when it finishes: the pending value
   * becomes current (`value`, or the old one unchanged), the old current
   * AWSPREVIOUS. Throws when nothing is pending.
   */
  completeRotation(name: string, value?: string) {
    const secret = this.#find(name);
    if (!secret.pending || !secret.rotation) {
      throw new Error(`No rotation of ${name} is pending`);
    }
    secret.previousVersionId = secret.versionId;
    secret.versionId = secret.pending.versionId;
    secret.value = value ?? secret.value;
    secret.pending = undefined;
    const now = this.now();
    secret.changed = now;
    secret.rotation.lastRotated = now;
  }

  /** A rotation function that failed: AWSPENDING stays, as on AWS. */
  pendingVersionOf(name: string): string | undefined {
    return this.#find(name).pending?.versionId;
  }

  /** Configures a rotation function on a secret, like the chart does. */
  enableRotation(name: string, lambdaArn: string, days?: number) {
    const secret = this.#find(name);
    secret.rotation = { ...secret.rotation, lambdaArn, days };
  }

  #restore(input: Record<string, unknown>) {
    const secret = this.#find(input.SecretId);
    secret.deleted = undefined;
    return { ARN: secret.arn, Name: secret.name };
  }
}
