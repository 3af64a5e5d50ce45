import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import {
  CredentialRotationState,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';

const TABLE = 'dbaas_credential_rotations';
const UNIQUE_VIOLATION = '23505';

/** The states in which a rotation holds its role (the partial unique index). */
export const ACTIVE_ROTATION_STATES: CredentialRotationState[] = [
  'pending-approval',
  'approved',
  'running',
];

/** One row of `dbaas_credential_rotations`. Never holds a password. */
export interface CredentialRotationRecord {
  id: string;
  namespace: string;
  name: string;
  databaseName: string;
  cluster: string;
  access: RoleAccess;
  requestedBy: string;
  reason?: string;
  state: CredentialRotationState;
  decidedBy?: string;
  decisionComment?: string;
  username?: string;
  secretVersion?: string;
  error?: string;
  requestedAt: Date;
  decidedAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
}

interface Row {
  id: string;
  namespace: string;
  name: string;
  database_name: string;
  cluster: string;
  access: string;
  requested_by: string;
  reason: string | null;
  state: string;
  decided_by: string | null;
  decision_comment: string | null;
  username: string | null;
  secret_version: string | null;
  error: string | null;
  requested_at: Date | string;
  decided_at: Date | string | null;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

function date(value: Date | string | null): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return value instanceof Date ? value : new Date(value);
}

function fromRow(row: Row): CredentialRotationRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    databaseName: row.database_name,
    cluster: row.cluster,
    access: row.access as RoleAccess,
    requestedBy: row.requested_by,
    reason: row.reason ?? undefined,
    state: row.state as CredentialRotationState,
    decidedBy: row.decided_by ?? undefined,
    decisionComment: row.decision_comment ?? undefined,
    username: row.username ?? undefined,
    secretVersion: row.secret_version ?? undefined,
    error: row.error ?? undefined,
    requestedAt: date(row.requested_at)!,
    decidedAt: date(row.decided_at),
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
  };
}

/** What a transition may change besides the state. */
export interface RotationPatch {
  decidedBy?: string;
  decisionComment?: string;
  decidedAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  username?: string;
  secretVersion?: string;
  error?: string;
}

/**
 * The rotation requests and their history, in the plugin's database. The
 * database, not a replica's memory, decides which of two simultaneous
 * requests for one role wins: the partial unique index on active rows.
 */
export class CredentialRotationStore {
  constructor(private readonly db: Knex) {}

  /**
   * Adds a rotation; ConflictError (409) when the role already has an
   * active one, naming it.
   */
  async create(
    record: Omit<CredentialRotationRecord, 'id'>,
  ): Promise<CredentialRotationRecord> {
    const id = randomUUID();
    try {
      await this.db(TABLE).insert({
        id,
        namespace: record.namespace,
        name: record.name,
        database_name: record.databaseName,
        cluster: record.cluster,
        access: record.access,
        requested_by: record.requestedBy,
        reason: record.reason ?? null,
        state: record.state,
        decided_by: record.decidedBy ?? null,
        decided_at: record.decidedAt ?? null,
        requested_at: record.requestedAt,
      });
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) {
        throw error;
      }
      const active = await this.active(record.databaseName, record.access);
      throw new ConflictError(
        `The ${record.access} credential of ${
          record.databaseName
        } already has a rotation ${
          active ? `${active.state} (${active.id})` : 'in progress'
        }; wait for it to finish`,
      );
    }
    return { ...record, id };
  }

  async get(id: string): Promise<CredentialRotationRecord | undefined> {
    const row = await this.db<Row>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async active(
    databaseName: string,
    access: RoleAccess,
  ): Promise<CredentialRotationRecord | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ database_name: databaseName, access })
      .whereIn('state', ACTIVE_ROTATION_STATES)
      .first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Moves a rotation from one of `from` to `to`; undefined when it was not
   * in one of them any more (someone else moved it first).
   */
  async transition(
    id: string,
    from: CredentialRotationState[],
    to: CredentialRotationState,
    patch: RotationPatch = {},
  ): Promise<CredentialRotationRecord | undefined> {
    const rows = await this.db<Row>(TABLE)
      .where({ id })
      .whereIn('state', from)
      .update({
        state: to,
        ...(patch.decidedBy !== undefined && { decided_by: patch.decidedBy }),
        ...(patch.decisionComment !== undefined && {
          decision_comment: patch.decisionComment,
        }),
        ...(patch.decidedAt && { decided_at: patch.decidedAt }),
        ...(patch.startedAt && { started_at: patch.startedAt }),
        ...(patch.finishedAt && { finished_at: patch.finishedAt }),
        ...(patch.username !== undefined && { username: patch.username }),
        ...(patch.secretVersion !== undefined && {
          secret_version: patch.secretVersion,
        }),
        ...(patch.error !== undefined && { error: patch.error }),
      })
      .returning('*');
    return rows[0] ? fromRow(rows[0] as Row) : undefined;
  }

  /** Newest first. */
  async listForDatabase(
    databaseName: string,
    limit = 20,
  ): Promise<CredentialRotationRecord[]> {
    const rows = await this.db<Row>(TABLE)
      .where({ database_name: databaseName })
      .orderBy('requested_at', 'desc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /** Oldest first. */
  async listByState(
    states: CredentialRotationState[],
  ): Promise<CredentialRotationRecord[]> {
    const rows = await this.db<Row>(TABLE)
      .whereIn('state', states)
      .orderBy('requested_at', 'asc');
    return rows.map(fromRow);
  }

  /** When each role of the databases was last rotated successfully. */
  async lastSucceeded(databaseNames: string[]): Promise<Map<string, Date>> {
    const rows = await this.db(TABLE)
      .select('database_name', 'access')
      .max({ at: 'finished_at' })
      .whereIn('database_name', databaseNames)
      .andWhere({ state: 'succeeded' })
      .groupBy('database_name', 'access');
    return new Map(
      rows.map((row: any) => [
        `${row.database_name}/${row.access}`,
        date(row.at)!,
      ]),
    );
  }
}
