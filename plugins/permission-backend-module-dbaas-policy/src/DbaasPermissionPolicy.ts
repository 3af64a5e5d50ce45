import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  dbaasBillingReadPermission,
  dbaasConnectionReadPermission,
  dbaasDatabaseCreatePermission,
  dbaasDatabaseReadPermission,
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import {
  createDbaasDatabaseConditionalDecision,
  createDbaasTenantConditionalDecision,
  dbaasDatabaseConditions,
  dbaasTenantConditions,
} from '@dbaas/plugin-dbaas-node';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Who is who, from `permission.dbaas`. */
export interface DbaasPolicyRoles {
  /** Platform engineers: every tenant's connections, restores, billing. */
  platformGroups: string[];
  /** May approve restores (platform groups may too). */
  restoreApproverGroups: string[];
}

/**
 * The portal's permission policy. The dbaas roles:
 *
 * | permission            | platform team | tenant owner   | anyone signed in |
 * |-----------------------|---------------|----------------|------------------|
 * | dbaas.database.read   | yes           | yes            | yes              |
 * | dbaas.database.create | yes           | yes            | yes (the action checks the namespace is theirs) |
 * | dbaas.connection.read | yes           | own tenants    | no               |
 * | dbaas.restore.request | yes           | own tenants    | no               |
 * | dbaas.restore.approve | yes           | approvers only | no               |
 * | dbaas.billing.read    | yes           | own tenants    | no               |
 *
 * Nobody approves their own restore: the dbaas backend refuses that
 * whatever this policy says. Other plugins' permissions are allowed, as in
 * a default portal. Calls without a user (services) get no dbaas rights
 * beyond reading.
 */
export class DbaasPermissionPolicy implements PermissionPolicy {
  static fromConfig(
    config: Config,
    userInfo: UserInfoService,
  ): DbaasPermissionPolicy {
    return new DbaasPermissionPolicy(
      {
        platformGroups:
          config.getOptionalStringArray('permission.dbaas.platformGroups') ??
          [],
        restoreApproverGroups:
          config.getOptionalStringArray('dbaas.restore.approvers') ?? [],
      },
      userInfo,
    );
  }

  constructor(
    private readonly roles: DbaasPolicyRoles,
    private readonly userInfo: UserInfoService,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('dbaas.')) {
      return ALLOW;
    }
    if (permission.name === dbaasDatabaseReadPermission.name) {
      return ALLOW;
    }
    if (!user) {
      return DENY;
    }

    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const isMemberOf = (groups: string[]) =>
      claims.some(claim => groups.includes(claim));
    const isPlatform = isMemberOf(this.roles.platformGroups);

    switch (permission.name) {
      case dbaasDatabaseCreatePermission.name:
        return ALLOW;
      case dbaasConnectionReadPermission.name:
        return isPlatform
          ? ALLOW
          : createDbaasDatabaseConditionalDecision(
              dbaasConnectionReadPermission,
              dbaasDatabaseConditions.isTenantOwner({ claims }),
            );
      case dbaasRestoreRequestPermission.name:
        return isPlatform
          ? ALLOW
          : createDbaasDatabaseConditionalDecision(
              dbaasRestoreRequestPermission,
              dbaasDatabaseConditions.isTenantOwner({ claims }),
            );
      case dbaasRestoreApprovePermission.name:
        return isPlatform || isMemberOf(this.roles.restoreApproverGroups)
          ? ALLOW
          : DENY;
      case dbaasBillingReadPermission.name:
        return isPlatform
          ? ALLOW
          : createDbaasTenantConditionalDecision(
              dbaasBillingReadPermission,
              dbaasTenantConditions.isTenantOwner({ claims }),
            );
      default:
        // A dbaas permission this policy does not know yet: deny, so that a
        // new capability is never open by accident.
        return DENY;
    }
  }
}
