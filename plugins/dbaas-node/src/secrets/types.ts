import { RoleAccess } from '@dbaas/plugin-dbaas-common';

/**
 * The secret of one database role, as the chart writes it (keys username,
 * password, endpoint, port). Only the provisioner ever holds a password; it
 * never reaches an API response, a log line or an error.
 *
 * @public
 */
export interface RoleSecret {
  username: string;
  password: string;
  endpoint: string;
  port: number;
}

/**
 * What may be shown about a secret: where it is and whether it exists.
 *
 * @public
 */
export interface RoleSecretMetadata {
  path: string;
  access: RoleAccess;
  exists: boolean;
  updatedAt?: Date;
}

/**
 * Where role credentials are kept: AWS Secrets Manager in production, a
 * local store on the embedded default.
 *
 * @public
 */
export interface DatabaseSecretStore {
  /** Creates or replaces a secret. */
  put(path: string, secret: RoleSecret): Promise<void>;
  /** For the provisioner only (re-using a password on reconcile). */
  get(path: string): Promise<RoleSecret | undefined>;
  describe(path: string, access: RoleAccess): Promise<RoleSecretMetadata>;
  delete(path: string): Promise<void>;
}
