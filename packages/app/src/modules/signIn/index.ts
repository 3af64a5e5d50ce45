import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Replaces the app's default (guest) sign-in page with a choice of the
 * users in `app.signIn.localUsers`.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () =>
          (await import('./LocalUsersSignInPage')).LocalUsersSignInPage,
      },
    }),
  ],
});
