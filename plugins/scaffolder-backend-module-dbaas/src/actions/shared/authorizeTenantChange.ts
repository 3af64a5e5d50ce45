import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dbaasDatabaseCreatePermission } from '@dbaas/plugin-dbaas-common';
import { DbaasActionEnvironment } from './DbaasActionEnvironment';
import { userEntityRefOf } from './userEntityRefOf';

/**
 * Refuses (403) unless the initiator may request databases and one of their
 * groups owns the namespace. Checked in the backend for every call, so a
 * direct API call gets the same decision as the form.
 */
export async function authorizeTenantChange(
  env: Pick<DbaasActionEnvironment, 'permissions' | 'userInfo' | 'tenants'>,
  credentials: BackstageCredentials,
  namespace: string,
): Promise<void> {
  const [decision] = await env.permissions.authorize(
    [{ permission: dbaasDatabaseCreatePermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed to request databases (permission ${dbaasDatabaseCreatePermission.name})`,
    );
  }
  if (!userEntityRefOf(credentials)) {
    throw new NotAllowedError(
      'Databases are requested on behalf of a user; this task has no user',
    );
  }
  const { ownershipEntityRefs } = await env.userInfo.getUserInfo(credentials);
  const tenant = (await env.tenants.listTenants()).find(
    t => t.namespace === namespace,
  );
  if (!tenant) {
    throw new NotAllowedError(
      `Namespace '${namespace}' is not a known tenant; ask the platform team to add it (dbaas.tenants or a group's dbaas.io/namespaces annotation)`,
    );
  }
  if (!tenant.owners.some(owner => ownershipEntityRefs.includes(owner))) {
    throw new NotAllowedError(
      `Namespace '${namespace}' belongs to ${tenant.owners.join(
        ', ',
      )}; none of your groups owns it`,
    );
  }
}
