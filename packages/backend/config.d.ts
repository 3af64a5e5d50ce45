export interface Config {
  permission?: {
    /** The portal's dbaas permission policy (src/permissions). */
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
