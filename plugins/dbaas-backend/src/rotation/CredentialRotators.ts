import {
  deriveDatabaseNames,
  DerivedDatabaseNames,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import {
  CredentialRotationResult,
  CredentialRotator,
  DatabaseSecretStore,
  MergedDatabaseDefinition,
  SecretsManagerRotation,
} from '@dbaas/plugin-dbaas-node';
import { NotFoundError } from '@backstage/errors';

/** What can be shown about one role's credential. Never a password. */
export interface RoleCredentialFacts {
  exists: boolean;
  /** The login user the secret names (the role or its twin). */
  username?: string;
  changedAt?: Date;
  rotationEnabled?: boolean;
  lastRotatedAt?: Date;
  nextRotationAt?: Date;
  /** Secrets Manager: a version staged AWSPENDING. */
  pendingVersionId?: string;
}

/**
 * Rotates and describes the credentials of one cluster's databases.
 * `finishesLater`: a rotation is only started here and finished by
 * another system (Secrets Manager's rotation function), which the rotation
 * task follows with `describe`.
 */
export interface ClusterCredentialRotator extends CredentialRotator {
  readonly finishesLater: boolean;
  describe(
    names: DerivedDatabaseNames,
    access: RoleAccess,
  ): Promise<RoleCredentialFacts>;
}

/**
 * Self-hosted clusters: the suite's provisioner rotates with two
 * alternating login users; the secret store tells the age.
 */
export class LocalCredentialRotator implements ClusterCredentialRotator {
  readonly finishesLater = false;
  readonly cluster: string;

  constructor(
    private readonly rotator: CredentialRotator,
    private readonly secretStore: DatabaseSecretStore,
  ) {
    this.cluster = rotator.cluster;
  }

  rotate(
    definition: MergedDatabaseDefinition,
    access: RoleAccess,
  ): Promise<CredentialRotationResult> {
    return this.rotator.rotate(definition, access);
  }

  async describe(
    names: DerivedDatabaseNames,
    access: RoleAccess,
  ): Promise<RoleCredentialFacts> {
    const path = names.secretManagerPaths[access];
    const metadata = await this.secretStore.describe(path, access);
    if (!metadata.exists) {
      return { exists: false };
    }
    // Only the username leaves this function; the password is dropped here.
    const secret = await this.secretStore.get(path);
    return {
      exists: true,
      username: secret?.username,
      changedAt: metadata.updatedAt,
    };
  }
}

/**
 * Aurora: the chart's secrets rotate in AWS Secrets Manager with their
 * rotation function (RotateSecret); DescribeSecret tells when they last
 * did, when they next will and whether one is under way (AWSPENDING).
 */
export class AuroraCredentialRotator implements ClusterCredentialRotator {
  readonly finishesLater = true;

  constructor(
    readonly cluster: string,
    private readonly rotation: SecretsManagerRotation,
    private readonly secretPathTemplate?: string,
  ) {}

  async rotate(
    definition: MergedDatabaseDefinition,
    access: RoleAccess,
  ): Promise<CredentialRotationResult> {
    const path = deriveDatabaseNames(definition.namespace, definition.name, {
      secretPathTemplate: this.secretPathTemplate,
    }).secretManagerPaths[access];
    const { versionId } = await this.rotation.rotate(path);
    return {
      state: 'in-progress',
      versionId,
      changes: [
        `started the rotation of secret ${path} in AWS Secrets Manager`,
      ],
    };
  }

  async describe(
    names: DerivedDatabaseNames,
    access: RoleAccess,
  ): Promise<RoleCredentialFacts> {
    try {
      const state = await this.rotation.describe(
        names.secretManagerPaths[access],
      );
      return {
        exists: true,
        changedAt: state.changedAt,
        rotationEnabled: state.rotationEnabled,
        lastRotatedAt: state.lastRotatedAt,
        nextRotationAt: state.nextRotationAt,
        pendingVersionId: state.pendingVersionId,
      };
    } catch (error) {
      if (error instanceof NotFoundError) {
        return { exists: false };
      }
      throw error;
    }
  }
}
