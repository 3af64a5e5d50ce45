import {
  ClusterSettings,
  PersonalRoleSpec,
  createPersonalRole,
  dropPersonalRole,
} from '@dbaas/plugin-dbaas-node';

/** Where personal login roles are made and dropped. */
export interface PersonalRoleManager {
  create(cluster: ClusterSettings, spec: PersonalRoleSpec): Promise<void>;
  drop(
    cluster: ClusterSettings,
    options: { role: string; reassignTo: string },
  ): Promise<void>;
}

/**
 * Through the cluster's admin connection (`dbaas.clusters[].connection`),
 * the same on both providers: a superuser on a local cluster, the master
 * user (`rds_superuser`: CREATEROLE, pg_signal_backend) on Aurora.
 */
export const clusterPersonalRoles: PersonalRoleManager = {
  async create(cluster, spec) {
    await createPersonalRole(cluster.connection, spec);
  },
  async drop(cluster, options) {
    await dropPersonalRole(cluster.connection, options);
  },
};
