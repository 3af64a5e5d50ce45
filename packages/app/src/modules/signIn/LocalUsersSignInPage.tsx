import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  type IdentityApi,
  type SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';

/** Must match packages/backend/src/auth (LOCAL_USER_HEADER). */
const LOCAL_USER_HEADER = 'x-portal-local-user';
/** Remembers the choice, so a reload signs the same person in again. */
export const LOCAL_USER_STORAGE_KEY = 'portal.localUser';

export interface LocalUser {
  userEntityRef: string;
  title: string;
  description?: string;
}

export function readLocalUsers(
  config: ReturnType<typeof useApi<typeof configApiRef.T>>,
): LocalUser[] {
  return (config.getOptionalConfigArray('app.signIn.localUsers') ?? []).map(
    user => ({
      userEntityRef: user.getString('userEntityRef'),
      title: user.getString('title'),
      description: user.getOptionalString('description'),
    }),
  );
}

/** Signing out forgets the choice, so the next sign-in asks again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(LOCAL_USER_STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * The embedded default's sign-in: choose one of the catalog users listed in
 * `app.signIn.localUsers`; the backend's `localUsers` provider signs that
 * user in (development only).
 */
export const LocalUsersSignInPage = (props: SignInPageProps) => {
  const users = readLocalUsers(useApi(configApiRef));
  const [chosen, setChosen] = useState<string | null>(() => {
    const remembered = localStorage.getItem(LOCAL_USER_STORAGE_KEY);
    return users.some(u => u.userEntityRef === remembered) ? remembered : null;
  });

  if (chosen) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="localUsers"
        headers={{ [LOCAL_USER_HEADER]: chosen }}
        onSignInSuccess={identity => {
          localStorage.setItem(LOCAL_USER_STORAGE_KEY, chosen);
          props.onSignInSuccess(forgetOnSignOut(identity));
        }}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title="Sign in" subtitle="Choose who you are on this portal" />
      <Content>
        <Grid container spacing={3}>
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.userEntityRef}>
              <InfoCard
                title={user.title}
                subheader={user.userEntityRef}
                variant="fullHeight"
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    aria-label={`Sign in as ${user.title}`}
                    onClick={() => setChosen(user.userEntityRef)}
                  >
                    Sign in
                  </Button>
                }
              >
                <Typography variant="body1">{user.description}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};
