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
  DbaasPolicyDecider,
  createDbaasPolicyDecider,
} from './DbaasPolicyDecider';

/**
 * A whole permission policy: the dbaas roles, and every other permission
 * allowed. The roles:
 *
 * | permission            | platform team | tenant owner   | anyone signed in |
 * |-----------------------|---------------|----------------|------------------|
 * | dbaas.database.read   | yes           | yes            | yes              |
 * | dbaas.database.create | yes           | yes            | yes (the action checks the namespace is theirs) |
 * | dbaas.connection.read | yes           | own tenants    | no               |
 * | dbaas.restore.request | yes           | own tenants    | no               |
 * | dbaas.restore.approve | yes           | if in `dbaas.restore.approvers` | no |
 * | dbaas.billing.read    | yes           | own tenants    | no               |
 *
 * Nobody approves their own restore: the dbaas backend refuses that
 * whatever this policy says. Other plugins' permissions are ALLOWED, as
 * with Backstage's allow-all policy of a new app: this policy replaces the
 * app's, so use {@link createDbaasPolicyDecider} inside a policy of your own
 * if other plugins need decisions too. Requests without a signed-in user
 * get no dbaas rights beyond reading (service-to-service calls are decided
 * by Backstage before any policy runs).
 *
 * @public
 */
export class DbaasPermissionPolicy implements PermissionPolicy {
  /**
   * Reads `permission.dbaas.platformGroups` and `dbaas.restore.approvers`;
   * throws an `InputError` when an entry is not a group or user entity ref.
   */
  static fromConfig(
    config: Config,
    userInfo: UserInfoService,
  ): DbaasPermissionPolicy {
    return new DbaasPermissionPolicy(
      createDbaasPolicyDecider({ config, userInfo }),
    );
  }

  constructor(private readonly dbaas: DbaasPolicyDecider) {}

  /** The dbaas decision for `dbaas.*` permissions, ALLOW for the others. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      (await this.dbaas.decide(request, user)) ?? {
        result: AuthorizeResult.ALLOW,
      }
    );
  }
}
