// The README's "With a policy of your own" example, word for word but for
// the import of this package (README.test.ts checks both); compiled with
// the package, run by myPermissionPolicy.test.ts.
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DbaasPolicyDecider, createDbaasPolicyDecider } from '../index';

class MyPermissionPolicy implements PermissionPolicy {
  constructor(private readonly dbaas: DbaasPolicyDecider) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      (await this.dbaas.decide(request, user)) ?? this.decideOthers(request)
    );
  }

  // Your own rules for every other plugin's permissions.
  private decideOthers(request: PolicyQuery): PolicyDecision {
    if (request.permission.name === 'catalog.entity.delete') {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'my-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        const dbaas = createDbaasPolicyDecider({ config, userInfo });
        policy.setPolicy(new MyPermissionPolicy(dbaas));
      },
    });
  },
});
