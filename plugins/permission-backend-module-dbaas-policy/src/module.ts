import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DbaasPermissionPolicy } from './DbaasPermissionPolicy';

/**
 * Installs {@link DbaasPermissionPolicy} as the permission backend's policy:
 * the dbaas roles, and every other plugin's permissions allowed.
 *
 * @public
 */
export const permissionModuleDbaasPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'dbaas-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(DbaasPermissionPolicy.fromConfig(config, userInfo));
      },
    });
  },
});
