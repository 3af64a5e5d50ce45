import type { RoleAccess } from './naming';

/**
 * States of a credential rotation: `pending-approval` (protected or
 * production database, waiting for someone with `dbaas.access.approve`
 * other than the requester), `approved` (waiting to run), `running`,
 * `succeeded`, `failed` (with an error, never a password), `rejected`.
 *
 * @public
 */
export type CredentialRotationState =
  | 'pending-approval'
  | 'approved'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected';

/** @public */
export const CREDENTIAL_ROTATION_STATES: readonly CredentialRotationState[] = [
  'pending-approval',
  'approved',
  'running',
  'succeeded',
  'failed',
  'rejected',
];

/**
 * One rotation request of one role's credential, as the API serves it.
 * Never holds a password.
 *
 * @public
 */
export interface CredentialRotation {
  id: string;
  namespace: string;
  name: string;
  /** `<namespace>-<name>` */
  databaseName: string;
  access: RoleAccess;
  /** User entity ref, or `schedule` for scheduled rotations. */
  requestedBy: string;
  reason?: string;
  state: CredentialRotationState;
  /** Who approved or rejected, with their comment or reason. */
  decidedBy?: string;
  decisionComment?: string;
  /** The login user the secret names after the rotation. */
  username?: string;
  /** One line, never a password. */
  error?: string;
  /** ISO 8601 */
  requestedAt: string;
  decidedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** What the caller may do with it now. */
  allowedActions?: Array<'approve' | 'reject'>;
}

/**
 * The credential of one role: where its secret is, how old it is and
 * when it was last rotated. Never holds a password.
 *
 * @public
 */
export interface RoleCredentialStatus {
  access: RoleAccess;
  /** The login user the secret names now (the role, or its twin). */
  username?: string;
  secretManagerPath: string;
  secretExists: boolean;
  /** When the secret's value last changed (ISO 8601). */
  changedAt?: string;
  /** Whole seconds since `changedAt`. */
  ageSeconds?: number;
  /** The last rotation that succeeded (ISO 8601). */
  lastRotatedAt?: string;
  /** When the next scheduled rotation is due (ISO 8601). */
  nextRotationAt?: string;
  /** A rotation waiting for approval, about to run or running. */
  activeRotation?: CredentialRotation;
  /** Aurora: whether Secrets Manager rotation is enabled on the secret. */
  rotationEnabled?: boolean;
}

/**
 * Answer of `GET /databases/:namespace/:name/credentials`.
 *
 * @public
 */
export interface DatabaseCredentials {
  namespace: string;
  name: string;
  roles: RoleCredentialStatus[];
  /** Whether the caller may ask for a rotation (`dbaas.credentials.rotate`). */
  canRotate: boolean;
  /** Whether a rotation of this database waits for an approver. */
  approvalRequired: boolean;
  /** The scheduled period for the database's environment, if any (e.g. `30 days`). */
  schedule?: string;
  recentRotations: CredentialRotation[];
}
