import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  dbaasAccessApprovePermission,
  dbaasAccessRequestPermission,
  dbaasBillingReadPermission,
  dbaasConnectionReadPermission,
  dbaasCredentialsRotatePermission,
  dbaasDatabaseCreatePermission,
  dbaasDatabaseReadPermission,
  dbaasInventoryRefreshPermission,
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import {
  createDbaasDatabaseConditionalDecision,
  createDbaasTenantConditionalDecision,
  dbaasDatabaseConditions,
  dbaasTenantConditions,
} from '@dbaas/plugin-dbaas-node';
import { DbaasPolicyRoles, readDbaasPolicyRoles } from './DbaasPolicyRoles';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Decides the dbaas permissions, and only those, so that it can sit inside
 * another permission policy.
 *
 * @public
 */
export interface DbaasPolicyDecider {
  /**
   * The decision for a `dbaas.*` permission; `undefined` for any other
   * permission, which the caller decides. A `dbaas.*` permission the decider
   * does not know is denied, so that a new capability is never open by
   * accident.
   */
  decide(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision | undefined>;
}

/**
 * Options for {@link createDbaasPolicyDecider}.
 *
 * @public
 */
export interface DbaasPolicyDeciderOptions {
  /**
   * The root config: `permission.dbaas.platformGroups` and
   * `dbaas.restore.approvers` are read from it.
   */
  config: Config;
  /** Resolves the signed-in user's ownership refs (`coreServices.userInfo`). */
  userInfo: UserInfoService;
}

function isDbaasPermission(permission: { name: string }): boolean {
  return permission.name.startsWith('dbaas.');
}

class RoleBasedDbaasDecider implements DbaasPolicyDecider {
  constructor(
    private readonly roles: DbaasPolicyRoles,
    private readonly userInfo: UserInfoService,
  ) {}

  async decide(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision | undefined> {
    const { permission } = request;
    if (!isDbaasPermission(permission)) {
      return undefined;
    }
    if (permission.name === dbaasDatabaseReadPermission.name) {
      return ALLOW;
    }
    if (!user) {
      return DENY;
    }

    // From the user-info service: `user.info` is deprecated.
    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const normalizedClaims = claims.map(claim =>
      claim.toLocaleLowerCase('en-US'),
    );
    const isMemberOf = (groups: string[]) =>
      normalizedClaims.some(claim => groups.includes(claim));
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
      // The tenant's owners, like restores; approvals are decided apart.
      case dbaasAccessRequestPermission.name:
        return isPlatform
          ? ALLOW
          : createDbaasDatabaseConditionalDecision(
              dbaasAccessRequestPermission,
              dbaasDatabaseConditions.isTenantOwner({ claims }),
            );
      case dbaasCredentialsRotatePermission.name:
        return isPlatform
          ? ALLOW
          : createDbaasDatabaseConditionalDecision(
              dbaasCredentialsRotatePermission,
              dbaasDatabaseConditions.isTenantOwner({ claims }),
            );
      case dbaasRestoreApprovePermission.name:
        return isPlatform || isMemberOf(this.roles.restoreApproverGroups)
          ? ALLOW
          : DENY;
      // Personal access and second-person rotations: the platform team.
      case dbaasAccessApprovePermission.name:
        return isPlatform ? ALLOW : DENY;
      // A full sync and provisioning pass: the platform team's to start by
      // hand. The scaffolder module's service token never gets here.
      case dbaasInventoryRefreshPermission.name:
        return isPlatform ? ALLOW : DENY;
      case dbaasBillingReadPermission.name:
        return isPlatform
          ? ALLOW
          : createDbaasTenantConditionalDecision(
              dbaasBillingReadPermission,
              dbaasTenantConditions.isTenantOwner({ claims }),
            );
      default:
        return DENY;
    }
  }
}

/**
 * The dbaas roles as a {@link DbaasPolicyDecider}, for a permission policy of
 * one's own:
 *
 * ```ts
 * return (await dbaas.decide(request, user)) ?? this.ownDecision(request, user);
 * ```
 *
 * Throws an `InputError` when a configured group is not a group or user
 * entity ref.
 *
 * @public
 */
export function createDbaasPolicyDecider(
  options: DbaasPolicyDeciderOptions,
): DbaasPolicyDecider {
  return new RoleBasedDbaasDecider(
    readDbaasPolicyRoles(options.config),
    options.userInfo,
  );
}
