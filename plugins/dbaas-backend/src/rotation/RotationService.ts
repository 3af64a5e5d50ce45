import {
  BackstageCredentials,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  CredentialRotation,
  DatabaseCredentials,
  DatabaseRef,
  dbaasAccessApprovePermission,
  dbaasConnectionReadPermission,
  dbaasCredentialsRotatePermission,
  deriveDatabaseNames,
  ROLE_ACCESS,
  RoleAccess,
  RoleCredentialStatus,
} from '@dbaas/plugin-dbaas-common';
import {
  ClusterEnvironment,
  errorMessageLine,
  redactSecrets,
} from '@dbaas/plugin-dbaas-node';
import type { Request } from 'express';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';
import {
  ACTIVE_ROTATION_STATES,
  CredentialRotationRecord,
  CredentialRotationStore,
} from './CredentialRotationStore';
import {
  ClusterCredentialRotator,
  RoleCredentialFacts,
} from './CredentialRotators';
import { RotationEvents } from './RotationEvents';
import { RotationSettings } from './RotationSettings';

/** Who is calling, and the HTTP request when it came through the REST API. */
export interface RotationCallContext {
  credentials: BackstageCredentials;
  request?: Request<any, any, any, any, any>;
}

/** Where a cluster is, as the rotation rules need it. */
export interface RotationCluster {
  name: string;
  environment?: ClusterEnvironment;
  namespaces: string[];
}

/** The requester of scheduled rotations. */
export const SCHEDULE_REQUESTER = 'schedule';

/** A local rotation `running` this long was a replica that died mid-way. */
const STALE_RUNNING_MS = 15 * 60_000;

function checkRef(ref: DatabaseRef) {
  for (const field of ['namespace', 'name'] as const) {
    if (typeof ref?.[field] !== 'string' || ref[field] === '') {
      throw new InputError(`${field} must be a non-empty string`);
    }
  }
}

function checkAccess(access: unknown): RoleAccess {
  if (!ROLE_ACCESS.includes(access as RoleAccess)) {
    throw new InputError(
      `role must be one of ${ROLE_ACCESS.join(', ')}, not '${String(access)}'`,
    );
  }
  return access as RoleAccess;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field} must be a string`);
  }
  const text = value.trim();
  if (text.length > 2000) {
    throw new InputError(`${field} must be at most 2000 characters`);
  }
  return text || undefined;
}

/**
 * Rotation of a database's application credentials: the state of each
 * role's credential, rotations on request (owners, `dbaas.credentials.rotate`;
 * on protected or production databases after an approval by someone else
 * with `dbaas.access.approve`) and on a schedule (`dbaas.rotation`). Every
 * step is audited and told to the owners; no password ever leaves.
 */
export class RotationService {
  constructor(
    private readonly options: {
      store: CredentialRotationStore;
      inventory: InventoryStore;
      access: DatabaseAccess;
      userInfo: UserInfoService;
      events: RotationEvents;
      settings: RotationSettings;
      clusters: RotationCluster[];
      rotators: Map<string, ClusterCredentialRotator>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async credentials(
    ref: DatabaseRef,
    credentials: BackstageCredentials,
  ): Promise<DatabaseCredentials> {
    checkRef(ref);
    const { access, store } = this.options;
    await access.assertDatabase(
      dbaasConnectionReadPermission,
      ref,
      credentials,
    );
    const { record, cluster, rotator } = await this.#placement(ref);
    const names = deriveDatabaseNames(ref.namespace, ref.name);
    const period = this.options.settings.periodFor(cluster?.environment);
    const last = await store.lastSucceeded([record.databaseName]);
    const recent = await store.listForDatabase(record.databaseName, 10);
    const caller = await this.#identify(credentials);
    const approver = caller ? await this.#isApprover(credentials) : false;
    const now = this.#now();
    const roles: RoleCredentialStatus[] = [];
    for (const role of ROLE_ACCESS) {
      const missing: RoleCredentialFacts = { exists: false };
      const facts: RoleCredentialFacts = rotator
        ? await rotator.describe(names, role).catch(error => {
            this.options.logger.warn(
              `Could not read the ${role} credential of ${
                record.databaseName
              }: ${errorMessageLine(error)}`,
            );
            return missing;
          })
        : missing;
      const ownLast = last.get(`${record.databaseName}/${role}`);
      const lastRotatedAt = [ownLast, facts.lastRotatedAt]
        .filter((d): d is Date => d !== undefined)
        .sort((a, b) => b.getTime() - a.getTime())[0];
      const since = lastRotatedAt ?? facts.changedAt;
      const nextRotationAt =
        facts.nextRotationAt ??
        (period && since ? new Date(since.getTime() + period.ms) : undefined);
      // At most one per role (the unique index), however old.
      const active = await store.active(record.databaseName, role);
      roles.push({
        access: role,
        username: facts.username,
        secretManagerPath: names.secretManagerPaths[role],
        secretExists: facts.exists,
        ...(facts.changedAt && {
          changedAt: facts.changedAt.toISOString(),
          ageSeconds: Math.max(
            0,
            Math.floor((now.getTime() - facts.changedAt.getTime()) / 1000),
          ),
        }),
        ...(lastRotatedAt && { lastRotatedAt: lastRotatedAt.toISOString() }),
        ...(nextRotationAt && { nextRotationAt: nextRotationAt.toISOString() }),
        ...(facts.rotationEnabled !== undefined && {
          rotationEnabled: facts.rotationEnabled,
        }),
        ...(active && {
          activeRotation: this.#view(active, caller, approver),
        }),
      });
    }
    return {
      namespace: ref.namespace,
      name: ref.name,
      roles,
      canRotate:
        Boolean(rotator) &&
        (await access
          .assertDatabase(dbaasCredentialsRotatePermission, ref, credentials)
          .then(
            () => true,
            () => false,
          )),
      approvalRequired: this.#approvalRequired(record, cluster),
      ...(period && { schedule: period.text }),
      recentRotations: recent.map(r => this.#view(r, caller, approver)),
    };
  }

  /**
   * The login user each role's secret names now, where the cluster's
   * rotator can tell (self-hosted: the role, or its twin after a rotation);
   * no permission check (the caller has made it). Never fails: a secret
   * that cannot be read leaves the derived name.
   */
  async currentUsernames(
    ref: DatabaseRef,
  ): Promise<Partial<Record<RoleAccess, string>>> {
    const record = await this.options.inventory.getDatabase(ref);
    const cluster = record && this.#clusterOf(record);
    const rotator = cluster && this.options.rotators.get(cluster.name);
    if (!rotator || rotator.finishesLater) {
      return {};
    }
    const names = deriveDatabaseNames(ref.namespace, ref.name);
    const usernames: Partial<Record<RoleAccess, string>> = {};
    for (const access of ROLE_ACCESS) {
      const facts = await rotator
        .describe(names, access)
        .catch((): RoleCredentialFacts => ({ exists: false }));
      if (facts.username) {
        usernames[access] = facts.username;
      }
    }
    return usernames;
  }

  /** `POST .../credentials/:role/rotate`: runs now, or waits for an approver. */
  async request(
    ref: DatabaseRef,
    role: unknown,
    body: { reason?: unknown } | undefined,
    context: RotationCallContext,
  ): Promise<CredentialRotation> {
    checkRef(ref);
    const access = checkAccess(role);
    const reason = optionalText(body?.reason, 'reason');
    const caller = await this.#identify(context.credentials);
    const { databaseName } = deriveDatabaseNames(ref.namespace, ref.name);
    const { events } = this.options;
    const created = await events.audited(
      {
        eventId: 'credential-rotation-request',
        actor: caller,
        request: context.request,
        meta: { database: databaseName, role: access },
      },
      async () => {
        if (!caller) {
          throw new NotAllowedError(
            'Only signed-in users ask for credential rotations',
          );
        }
        await this.options.access.assertDatabase(
          dbaasCredentialsRotatePermission,
          ref,
          context.credentials,
        );
        const { record, cluster, rotator } = await this.#placement(ref);
        if (!rotator || !cluster) {
          throw new ConflictError(
            `${databaseName} is on no cluster whose credentials the suite can rotate`,
          );
        }
        const approval = this.#approvalRequired(record, cluster);
        return this.options.store.create({
          namespace: ref.namespace,
          name: ref.name,
          databaseName,
          cluster: cluster.name,
          access,
          requestedBy: caller,
          reason,
          state: approval ? 'pending-approval' : 'approved',
          requestedAt: this.#now(),
        });
      },
      result => ({ rotationId: result.id, state: result.state }),
    );
    if (created.state === 'pending-approval') {
      await events.notify(
        created,
        `Rotation of the ${access} credential of ${databaseName} waits for an approver`,
        { description: reason },
      );
      return this.#view(created, caller, false);
    }
    return this.#view(await this.run(created), caller, false);
  }

  async approve(
    id: string,
    body: { comment?: unknown } | undefined,
    context: RotationCallContext,
  ): Promise<CredentialRotation> {
    const comment = optionalText(body?.comment, 'comment');
    const approved = await this.#decide(
      id,
      'approve',
      context,
      async (record, caller) => {
        const now = this.#now();
        const updated = await this.options.store.transition(
          id,
          ['pending-approval'],
          'approved',
          { decidedBy: caller, decidedAt: now, decisionComment: comment },
        );
        if (!updated) {
          throw new ConflictError(
            `Credential rotation ${id} is ${record.state}; only pending rotations can be approved`,
          );
        }
        return updated;
      },
    );
    await this.options.events.notify(
      approved,
      `Rotation of the ${approved.access} credential of ${approved.databaseName} approved by ${approved.decidedBy}`,
      { description: comment },
    );
    return this.#view(await this.run(approved), approved.decidedBy, true);
  }

  async reject(
    id: string,
    body: { reason?: unknown } | undefined,
    context: RotationCallContext,
  ): Promise<CredentialRotation> {
    const reason = optionalText(body?.reason, 'reason');
    if (!reason) {
      throw new InputError('A rejection needs a reason');
    }
    const rejected = await this.#decide(
      id,
      'reject',
      context,
      async (record, caller) => {
        const now = this.#now();
        const updated = await this.options.store.transition(
          id,
          ['pending-approval'],
          'rejected',
          {
            decidedBy: caller,
            decidedAt: now,
            decisionComment: reason,
            finishedAt: now,
          },
        );
        if (!updated) {
          throw new ConflictError(
            `Credential rotation ${id} is ${record.state}; only pending rotations can be rejected`,
          );
        }
        return updated;
      },
    );
    await this.options.events.notify(
      rejected,
      `Rotation of the ${rejected.access} credential of ${rejected.databaseName} rejected by ${rejected.decidedBy}`,
      { description: reason },
    );
    return this.#view(rejected, rejected.decidedBy, true);
  }

  /**
   * `GET /credential-rotations`: approvers see every rotation in `state`
   * (default `pending-approval`); others the ones they asked for.
   */
  async list(
    filter: { state?: unknown },
    credentials: BackstageCredentials,
  ): Promise<CredentialRotation[]> {
    const state = (filter.state ?? 'pending-approval') as string;
    if (
      ![...ACTIVE_ROTATION_STATES, 'succeeded', 'failed', 'rejected'].includes(
        state as any,
      )
    ) {
      throw new InputError(`Unknown rotation state '${state}'`);
    }
    const caller = await this.#identify(credentials);
    const approver = caller ? await this.#isApprover(credentials) : false;
    const records = await this.options.store.listByState([state as any]);
    return records
      .filter(r => approver || r.requestedBy === caller)
      .map(r => this.#view(r, caller, approver));
  }

  /**
   * Runs an approved rotation: `running`, then `succeeded` or `failed`
   * (or stays `running` while Secrets Manager finishes it). Only one
   * caller wins the move to `running`.
   */
  async run(
    record: CredentialRotationRecord,
  ): Promise<CredentialRotationRecord> {
    const { store, events } = this.options;
    const running = await store.transition(record.id, ['approved'], 'running', {
      startedAt: this.#now(),
    });
    if (!running) {
      return (await store.get(record.id)) ?? record;
    }
    const rotator = this.options.rotators.get(running.cluster);
    let finished: CredentialRotationRecord | undefined;
    try {
      finished = await events.audited(
        {
          eventId: 'credential-rotation-run',
          actor: running.requestedBy,
          meta: {
            rotationId: running.id,
            database: running.databaseName,
            role: running.access,
          },
        },
        async () => {
          if (!rotator) {
            throw new ConflictError(
              `Cluster ${running.cluster} has no credential rotation`,
            );
          }
          const result = await rotator.rotate(
            {
              namespace: running.namespace,
              name: running.name,
              mode: 'standard',
            },
            running.access,
          );
          if (result.state === 'in-progress') {
            return (
              (await store.transition(running.id, ['running'], 'running', {
                secretVersion: result.versionId ?? '',
              })) ?? running
            );
          }
          return (
            (await store.transition(running.id, ['running'], 'succeeded', {
              finishedAt: this.#now(),
              username: result.username,
            })) ?? running
          );
        },
        result => ({ state: result.state, username: result.username ?? null }),
      );
    } catch (error) {
      const message = redactSecrets(errorMessageLine(error), []);
      finished =
        (await store.transition(running.id, ['running'], 'failed', {
          finishedAt: this.#now(),
          error: message || 'unknown error',
        })) ?? running;
    }
    await this.#notifyOutcome(finished);
    return finished;
  }

  /**
   * The rotation task: approved rotations left behind, Aurora rotations
   * followed to their end, stale local runs failed, then the scheduled
   * rotations that are due.
   */
  async runDue(): Promise<void> {
    const { store, settings, logger } = this.options;
    for (const record of await store.listByState(['approved'])) {
      await this.run(record);
    }
    const now = this.#now();
    for (const record of await store.listByState(['running'])) {
      await this.#follow(record, now).catch(error =>
        logger.warn(
          `Could not follow credential rotation ${
            record.id
          }: ${errorMessageLine(error)}`,
        ),
      );
    }
    const ready = await this.options.inventory.listDatabases({
      statuses: ['ready'],
    });
    for (const record of ready) {
      const cluster = this.#clusterOf(record);
      const period = settings.periodFor(cluster?.environment);
      const rotator = cluster && this.options.rotators.get(cluster.name);
      if (!period || !cluster || !rotator) {
        continue;
      }
      await this.#scheduleDue(record, cluster, rotator, period.ms, now).catch(
        error =>
          logger.warn(
            `Scheduled rotation of ${
              record.databaseName
            } failed: ${errorMessageLine(error)}`,
          ),
      );
    }
  }

  async #scheduleDue(
    record: DatabaseRecord,
    cluster: RotationCluster,
    rotator: ClusterCredentialRotator,
    periodMs: number,
    now: Date,
  ) {
    const names = deriveDatabaseNames(record.namespace, record.name);
    const last = await this.options.store.lastSucceeded([record.databaseName]);
    for (const access of ROLE_ACCESS) {
      const facts = await rotator.describe(names, access);
      if (!facts.exists) {
        continue;
      }
      const since = [
        last.get(`${record.databaseName}/${access}`),
        facts.lastRotatedAt,
        facts.changedAt,
      ]
        .filter((d): d is Date => d !== undefined)
        .sort((a, b) => b.getTime() - a.getTime())[0];
      if (since && now.getTime() - since.getTime() < periodMs) {
        continue;
      }
      let created: CredentialRotationRecord;
      try {
        created = await this.options.store.create({
          namespace: record.namespace,
          name: record.name,
          databaseName: record.databaseName,
          cluster: cluster.name,
          access,
          requestedBy: SCHEDULE_REQUESTER,
          reason: 'scheduled (dbaas.rotation)',
          state: 'approved',
          requestedAt: now,
        });
      } catch (error) {
        if (error instanceof ConflictError) {
          continue; // one is already under way
        }
        throw error;
      }
      await this.run(created);
    }
  }

  /** A `running` rotation: finished by Secrets Manager, or stale. */
  async #follow(record: CredentialRotationRecord, now: Date) {
    const { store, settings } = this.options;
    const rotator = this.options.rotators.get(record.cluster);
    const startedAt = record.startedAt ?? record.requestedAt;
    if (!rotator?.finishesLater || record.secretVersion === undefined) {
      if (now.getTime() - startedAt.getTime() > STALE_RUNNING_MS) {
        const failed = await store.transition(
          record.id,
          ['running'],
          'failed',
          {
            finishedAt: now,
            error:
              'The rotation was interrupted (the backend stopped while it ran); the secret names a user whose password works, rotate again',
          },
        );
        if (failed) {
          await this.#notifyOutcome(failed);
        }
      }
      return;
    }
    const names = deriveDatabaseNames(record.namespace, record.name);
    const facts = await rotator.describe(names, record.access);
    if (!facts.pendingVersionId) {
      const done = await store.transition(record.id, ['running'], 'succeeded', {
        finishedAt: facts.lastRotatedAt ?? now,
      });
      if (done) {
        await this.#notifyOutcome(done);
      }
      return;
    }
    if (now.getTime() - startedAt.getTime() > settings.pendingTimeoutMs) {
      const failed = await store.transition(record.id, ['running'], 'failed', {
        finishedAt: now,
        error: `Secrets Manager still has the version ${facts.pendingVersionId} pending (AWSPENDING); check the secret's rotation function`,
      });
      if (failed) {
        await this.#notifyOutcome(failed);
      }
    }
  }

  async #notifyOutcome(record: CredentialRotationRecord) {
    const what = `the ${record.access} credential of ${record.databaseName}`;
    switch (record.state) {
      case 'succeeded':
        await this.options.events.notify(record, `Rotated ${what}`, {
          description: record.username
            ? `The secret now names ${record.username}; the previous password works until the next rotation.`
            : undefined,
        });
        return;
      case 'running':
        await this.options.events.notify(
          record,
          `Rotation of ${what} started in AWS Secrets Manager`,
        );
        return;
      case 'failed':
        await this.options.events.notify(record, `Rotation of ${what} failed`, {
          description: record.error,
          severity: 'high',
        });
        return;
      default:
    }
  }

  async #decide(
    id: string,
    decision: 'approve' | 'reject',
    context: RotationCallContext,
    fn: (
      record: CredentialRotationRecord,
      caller: string,
    ) => Promise<CredentialRotationRecord>,
  ): Promise<CredentialRotationRecord> {
    if (typeof id !== 'string' || !id) {
      throw new InputError('A rotation id is required');
    }
    const caller = await this.#identify(context.credentials);
    const record = await this.options.store.get(id).catch(() => undefined);
    const own = caller !== undefined && record?.requestedBy === caller;
    return this.options.events.audited(
      {
        eventId:
          decision === 'approve'
            ? 'credential-rotation-approve'
            : 'credential-rotation-reject',
        // Approving one's own rotation is what an attacker would try.
        severityLevel: own ? 'high' : 'medium',
        actor: caller,
        request: context.request,
        meta: {
          rotationId: id,
          ...(record && { database: record.databaseName, role: record.access }),
        },
      },
      async () => {
        if (!caller) {
          throw new NotAllowedError(
            'Only signed-in users decide on credential rotations',
          );
        }
        if (!record) {
          throw new NotFoundError(`No credential rotation ${id}`);
        }
        if (own) {
          throw new NotAllowedError(
            `Nobody ${decision}s their own credential rotation; ask another approver`,
          );
        }
        if (!(await this.#isApprover(context.credentials))) {
          throw new NotAllowedError(
            `You may not ${decision} credential rotations (dbaas.access.approve)`,
          );
        }
        return fn(record, caller);
      },
      result => ({ state: result.state }),
    );
  }

  async #placement(ref: DatabaseRef) {
    const record = await this.options.inventory.getDatabase(ref);
    if (!record) {
      throw new NotFoundError(
        `Database ${ref.namespace}/${ref.name} is not in the inventory`,
      );
    }
    const cluster = this.#clusterOf(record);
    const rotator = cluster && this.options.rotators.get(cluster.name);
    return { record, cluster, rotator };
  }

  #clusterOf(record: DatabaseRecord): RotationCluster | undefined {
    const { clusters } = this.options;
    return (
      clusters.find(c => c.name === record.cluster) ??
      clusters.find(c => c.namespaces.includes(record.namespace)) ??
      (clusters.length === 1 ? clusters[0] : undefined)
    );
  }

  /** Protected databases and production clusters need a second person. */
  #approvalRequired(record: DatabaseRecord, cluster?: RotationCluster) {
    return record.mode === 'protected' || cluster?.environment === 'production';
  }

  async #identify(credentials: BackstageCredentials) {
    if ((credentials.principal as { type?: string })?.type !== 'user') {
      return undefined;
    }
    return (await this.options.userInfo.getUserInfo(credentials)).userEntityRef;
  }

  #isApprover(credentials: BackstageCredentials) {
    return this.options.access.isAllowed(
      dbaasAccessApprovePermission,
      credentials,
    );
  }

  #view(
    record: CredentialRotationRecord,
    caller: string | undefined,
    approver: boolean,
  ): CredentialRotation {
    const canDecide =
      record.state === 'pending-approval' &&
      approver &&
      caller !== undefined &&
      caller !== record.requestedBy;
    return {
      id: record.id,
      namespace: record.namespace,
      name: record.name,
      databaseName: record.databaseName,
      access: record.access,
      requestedBy: record.requestedBy,
      ...(record.reason && { reason: record.reason }),
      state: record.state,
      ...(record.decidedBy && { decidedBy: record.decidedBy }),
      ...(record.decisionComment && {
        decisionComment: record.decisionComment,
      }),
      ...(record.username && { username: record.username }),
      ...(record.error && { error: record.error }),
      requestedAt: record.requestedAt.toISOString(),
      ...(record.decidedAt && { decidedAt: record.decidedAt.toISOString() }),
      ...(record.startedAt && { startedAt: record.startedAt.toISOString() }),
      ...(record.finishedAt && {
        finishedAt: record.finishedAt.toISOString(),
      }),
      ...(canDecide && { allowedActions: ['approve', 'reject'] }),
    };
  }
}
