export interface Config {
  app?: {
    /** The portal's own sign-in page (packages/app/src/modules/signIn). */
    signIn?: {
      /**
       * Catalog users offered on the sign-in page of the embedded default;
       * the backend's `auth.providers.localUsers.users` must list them too.
       * @deepVisibility frontend
       */
      localUsers?: Array<{
        /** e.g. `user:default/pat` */
        userEntityRef: string;
        title: string;
        description?: string;
      }>;
    };
  };
}
