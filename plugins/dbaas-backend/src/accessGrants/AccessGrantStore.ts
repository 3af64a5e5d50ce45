import { AccessGrantState, RoleAccess } from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';

const GRANTS = 'dbaas_access_grants';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** States in which a grant may still give access (and be revoked). */
export const OPEN_STATES: readonly AccessGrantState[] = [
  'pending',
  'approved',
  'active',
];

/** One grant as stored. Never a password: there is no column for one. */
export interface AccessGrantRecord {
  id: string;
  namespace: string;
  name: string;
  databaseName: string;
  cluster: string;
  requestedBy: string;
  access: RoleAccess;
  reason: string;
  durationMinutes: number;
  state: AccessGrantState;
  requestedAt: Date;
  expiresAt?: Date;
  autoApproved: boolean;
  decidedBy?: string;
  decidedAt?: Date;
  decisionComment?: string;
  loginRole?: string;
  activatedAt?: Date;
  validUntil?: Date;
  revokedBy?: string;
  revokedAt?: Date;
  revokeReason?: string;
  roleDroppedAt?: Date;
  error?: string;
  updatedAt: Date;
}

/** The fields a transition may set. */
export type AccessGrantPatch = Partial<
  Omit<
    AccessGrantRecord,
    | 'id'
    | 'namespace'
    | 'name'
    | 'databaseName'
    | 'cluster'
    | 'requestedBy'
    | 'access'
    | 'reason'
    | 'durationMinutes'
    | 'requestedAt'
  >
>;

const COLUMNS: Record<keyof AccessGrantRecord, string> = {
  id: 'id',
  namespace: 'namespace',
  name: 'name',
  databaseName: 'database_name',
  cluster: 'cluster',
  requestedBy: 'requested_by',
  access: 'access',
  reason: 'reason',
  durationMinutes: 'duration_minutes',
  state: 'state',
  requestedAt: 'requested_at',
  expiresAt: 'expires_at',
  autoApproved: 'auto_approved',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  decisionComment: 'decision_comment',
  loginRole: 'login_role',
  activatedAt: 'activated_at',
  validUntil: 'valid_until',
  revokedBy: 'revoked_by',
  revokedAt: 'revoked_at',
  revokeReason: 'revoke_reason',
  roleDroppedAt: 'role_dropped_at',
  error: 'error',
  updatedAt: 'updated_at',
};

const DATES = new Set<keyof AccessGrantRecord>([
  'requestedAt',
  'expiresAt',
  'decidedAt',
  'activatedAt',
  'validUntil',
  'revokedAt',
  'roleDroppedAt',
  'updatedAt',
]);

function toRow(fields: Partial<AccessGrantRecord>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) {
      row[COLUMNS[key as keyof AccessGrantRecord]] = value;
    }
  }
  return row;
}

function fromRow(row: Record<string, any>): AccessGrantRecord {
  const record: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMNS)) {
    const value = row[column];
    if (value === null || value === undefined) {
      continue;
    }
    record[key] = DATES.has(key as keyof AccessGrantRecord)
      ? new Date(value)
      : value;
  }
  record.durationMinutes = Number(record.durationMinutes);
  record.autoApproved = Boolean(record.autoApproved);
  return record as unknown as AccessGrantRecord;
}

/** The grants table. Every change of state is one conditional UPDATE. */
export class AccessGrantStore {
  constructor(private readonly knex: Knex) {}

  async insert(record: AccessGrantRecord): Promise<AccessGrantRecord> {
    await this.knex(GRANTS).insert(toRow(record));
    return (await this.get(record.id))!;
  }

  async get(id: string): Promise<AccessGrantRecord | undefined> {
    // Ids are UUIDs; anything else names no grant (and is no SQL error).
    if (!UUID.test(id)) {
      return undefined;
    }
    const row = await this.knex(GRANTS).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  /** Newest first; all of them unless `limit` is given. */
  async list(filter: {
    namespace?: string;
    name?: string;
    states?: readonly AccessGrantState[];
    requestedBy?: string;
    limit?: number;
  }): Promise<AccessGrantRecord[]> {
    const query = this.knex(GRANTS)
      .orderBy('requested_at', 'desc')
      .orderBy('id');
    if (filter.limit !== undefined) {
      query.limit(filter.limit);
    }
    if (filter.namespace) {
      query.where('namespace', filter.namespace);
    }
    if (filter.name) {
      query.where('name', filter.name);
    }
    if (filter.states) {
      query.whereIn('state', filter.states as AccessGrantState[]);
    }
    if (filter.requestedBy) {
      query.where('requested_by', filter.requestedBy);
    }
    return (await query).map(fromRow);
  }

  /**
   * Sets `patch` if the grant is in one of `from` (and `where` holds),
   * atomically: of two callers at once, exactly one gets the record back;
   * the other gets undefined.
   */
  async transition(
    id: string,
    from: readonly AccessGrantState[],
    patch: AccessGrantPatch,
  ): Promise<AccessGrantRecord | undefined> {
    if (!UUID.test(id)) {
      return undefined;
    }
    const rows = await this.knex(GRANTS)
      .where({ id })
      .whereIn('state', from as AccessGrantState[])
      .update(toRow(patch))
      .returning('*');
    return rows.length ? fromRow(rows[0]) : undefined;
  }

  /** Pending or approved grants whose time to be acted on has passed. */
  async listUnactedBefore(at: Date): Promise<AccessGrantRecord[]> {
    return (
      await this.knex(GRANTS)
        .whereIn('state', ['pending', 'approved'])
        .where('expires_at', '<=', at)
    ).map(fromRow);
  }

  /** Active grants whose login ended. */
  async listActiveEndedBefore(at: Date): Promise<AccessGrantRecord[]> {
    return (
      await this.knex(GRANTS)
        .where('state', 'active')
        .where('valid_until', '<=', at)
    ).map(fromRow);
  }

  /** Ended grants whose login role may still exist. */
  async listRolesToDrop(): Promise<AccessGrantRecord[]> {
    return (
      await this.knex(GRANTS)
        .whereNot('state', 'active')
        .whereNotNull('login_role')
        .whereNull('role_dropped_at')
    ).map(fromRow);
  }

  /** Records that the role is gone (or why it could not be dropped). */
  async markRoleDropped(id: string, at: Date): Promise<void> {
    await this.knex(GRANTS)
      .where({ id })
      .update({ role_dropped_at: at, updated_at: at });
  }

  async setError(id: string, error: string, at: Date): Promise<void> {
    await this.knex(GRANTS).where({ id }).update({ error, updated_at: at });
  }
}
