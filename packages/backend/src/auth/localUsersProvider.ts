import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/** Header in which the sign-in page names the user to sign in as. */
export const LOCAL_USER_HEADER = 'x-portal-local-user';

/** What the authenticator found: the user entity ref chosen. */
export interface LocalUserResult {
  userEntityRef: string;
}

interface LocalUsersContext {
  users: string[];
  enabled: boolean;
}

/**
 * Reads `auth.providers.localUsers`. Like the guest provider, it only works
 * in development unless `dangerouslyAllowOutsideDevelopment` is set: it
 * signs anyone in as any listed user, without a password.
 */
export function readLocalUsersConfig(config: Config): LocalUsersContext {
  const users = config.getOptionalStringArray('users') ?? [];
  const allowOutsideDev =
    config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true;
  return {
    users,
    enabled: process.env.NODE_ENV === 'development' || allowOutsideDev,
  };
}

export const localUsersAuthenticator = createProxyAuthenticator<
  LocalUsersContext,
  LocalUserResult,
  undefined
>({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    return readLocalUsersConfig(config);
  },
  async authenticate({ req }, { users, enabled }) {
    if (!enabled) {
      throw new NotAllowedError(
        "The localUsers provider only works in development, unless 'auth.providers.localUsers.dangerouslyAllowOutsideDevelopment' is set",
      );
    }
    const requested = req.header(LOCAL_USER_HEADER);
    if (!requested) {
      throw new InputError(`Missing the ${LOCAL_USER_HEADER} header`);
    }
    if (!users.includes(requested)) {
      throw new NotAllowedError(
        `'${requested}' is not one of auth.providers.localUsers.users`,
      );
    }
    return { result: { userEntityRef: requested } };
  },
});

/** Signs in as the chosen catalog user, with the user's group memberships. */
export const signInAsLocalUser: SignInResolver<LocalUserResult> = async (
  { result },
  ctx,
) => ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });

/**
 * The embedded default's sign-in: pick one of a few catalog users (a
 * developer, a platform engineer) so that a restore can be requested by one
 * person and approved by another on one machine.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'local-users-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'localUsers',
          factory: createProxyAuthProviderFactory({
            authenticator: localUsersAuthenticator,
            signInResolver: signInAsLocalUser,
          }),
        });
      },
    });
  },
});
