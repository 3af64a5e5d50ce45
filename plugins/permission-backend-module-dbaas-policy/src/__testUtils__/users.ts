import { UserInfoService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';

// Ownership as the catalog would resolve it, keyed by user entity ref.
const ownershipByUser = new Map<string, string[]>();

/** A user-info service that knows the users made by {@link userWith}. */
export const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const userEntityRef = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef,
      ownershipEntityRefs: ownershipByUser.get(userEntityRef) ?? [],
    };
  },
};

/** A policy query user; the first ref is the user, the rest their groups. */
export function userWith(...ownershipEntityRefs: string[]): PolicyQueryUser {
  const userEntityRef = ownershipEntityRefs[0];
  ownershipByUser.set(userEntityRef, ownershipEntityRefs);
  const credentials = mockCredentials.user(userEntityRef);
  return {
    credentials,
    info: { userEntityRef, ownershipEntityRefs: [] },
  };
}

export const platformEngineer = userWith(
  'user:default/pat',
  'group:default/platform',
);
export const paymentsDeveloper = userWith(
  'user:default/ana',
  'group:default/payments',
);
export const oncallLead = userWith(
  'user:default/lee',
  'group:default/oncall-leads',
);

/** The config the tests' roles come from. */
export const rolesConfig = {
  permission: { dbaas: { platformGroups: ['group:default/platform'] } },
  dbaas: { restore: { approvers: ['group:default/oncall-leads'] } },
};
