import { RoleAccess } from './naming';

/**
 * States of a personal access grant:
 *
 * - `pending`: waiting for someone with `dbaas.access.approve`
 * - `approved`: approved (by the policy or a person); the requester may
 *   activate it until it expires
 * - `active`: activated: the personal login role exists until `validUntil`
 * - `rejected`, `expired`, `revoked`: ended without access, or access ended
 * - `failed`: the login role could not be created
 *
 * @public
 */
export const ACCESS_GRANT_STATES = [
  'pending',
  'approved',
  'active',
  'rejected',
  'expired',
  'revoked',
  'failed',
] as const;

/** @public */
export type AccessGrantState = (typeof ACCESS_GRANT_STATES)[number];

/**
 * What the caller may do with a grant now.
 *
 * @public
 */
export type AccessGrantAction = 'approve' | 'reject' | 'activate' | 'revoke';

/**
 * A request for temporary personal access to a database, as the API
 * returns it. It never holds a password.
 *
 * @public
 */
export interface AccessGrant {
  id: string;
  namespace: string;
  name: string;
  /** `<namespace>-<name>` */
  databaseName: string;
  cluster: string;
  /** The role the person becomes a member of: `<db>-read|write|admin`. */
  access: RoleAccess;
  reason: string;
  durationMinutes: number;
  state: AccessGrantState;
  requestedBy: string;
  requestedAt: string;
  /** Pending or approved grants not acted on by then expire. */
  expiresAt?: string;
  /** Set when approved by the policy itself (no person decided). */
  autoApproved: boolean;
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
  /** The personal login role, once activated. */
  loginRole?: string;
  activatedAt?: string;
  /** When the login stops working (`VALID UNTIL`). */
  validUntil?: string;
  revokedBy?: string;
  revokedAt?: string;
  revokeReason?: string;
  /** When the login role was dropped. */
  roleDroppedAt?: string;
  error?: string;
  updatedAt: string;
  allowedActions: AccessGrantAction[];
}

/**
 * Body of `POST /databases/:namespace/:name/access-grants`.
 *
 * @public
 */
export interface CreateAccessGrantRequest {
  access: RoleAccess;
  /** At most `dbaas.access.maxDuration`. */
  durationMinutes: number;
  reason: string;
}

/**
 * The answer of `POST /access-grants/:id/activate`: the only time the
 * password is ever shown.
 *
 * @public
 */
export interface ActivatedAccessGrant {
  grant: AccessGrant;
  credentials: {
    username: string;
    password: string;
    host: string;
    port: number;
    database: string;
    sslmode: string;
    /** Empty when the cluster is reached directly. */
    portForwardCommand: string;
    psqlCommand: string;
    uri: string;
    validUntil: string;
  };
}

/**
 * The answer of `GET /databases/:namespace/:name/access-grants`: the
 * database's grants and what the request form needs.
 *
 * @public
 */
export interface DatabaseAccessGrants {
  items: AccessGrant[];
  /** `dbaas.access.maxDuration` in minutes. */
  maxDurationMinutes: number;
  defaultDurationMinutes: number;
  /** Whether a request by the caller would wait for an approver. */
  approvalRequired: boolean;
  /** Whether the caller may ask for access (`dbaas.access.request`). */
  mayRequest: boolean;
}
