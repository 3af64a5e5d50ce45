export interface Config {
  permission?: {
    /** The dbaas permission policy (@dbaas/plugin-permission-backend-module-dbaas-policy). */
    dbaas?: {
      /**
       * Group entity refs of the platform team: they see every tenant's
       * connections and billing, request restores anywhere and approve them
       * (never their own).
       */
      platformGroups?: string[];
    };
  };
}
