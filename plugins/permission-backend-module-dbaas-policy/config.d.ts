export interface Config {
  permission?: {
    /**
     * The dbaas permission policy
     * (@dbaas/plugin-permission-backend-module-dbaas-policy). Restore
     * approvers come from `dbaas.restore.approvers`.
     */
    dbaas?: {
      /**
       * Entity refs of the platform team's groups (or users): they see every
       * tenant's connections and billing, request restores anywhere and
       * approve them (never their own). Read like `dbaas.tenants[].owner`:
       * the kind defaults to group and the namespace to default, so
       * `platform` is `group:default/platform`. A malformed ref, or one of
       * another kind than group or user, stops the backend at startup.
       * Without it, nobody has the platform team's rights.
       */
      platformGroups?: string[];
    };
  };
}
