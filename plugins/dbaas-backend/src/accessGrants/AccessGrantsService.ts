import { randomUUID } from 'node:crypto';
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
  ACCESS_GRANT_STATES,
  AccessGrant,
  AccessGrantAction,
  AccessGrantState,
  ActivatedAccessGrant,
  DatabaseAccessGrants,
  DatabaseRef,
  ROLE_ACCESS,
  RoleAccess,
  dbaasAccessApprovePermission,
  dbaasAccessRequestPermission,
  dbaasDatabaseReadPermission,
  deriveDatabaseNames,
} from '@dbaas/plugin-dbaas-common';
import {
  ClusterSettings,
  TenantDirectory,
  generatePassword,
  personalRoleName,
} from '@dbaas/plugin-dbaas-node';
import type { Request } from 'express';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { ConnectionInfoBuilder } from '../connection/ConnectionInfoBuilder';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { AccessGrantEvents, describeGrant } from './AccessGrantEvents';
import {
  AccessGrantPatch,
  AccessGrantRecord,
  AccessGrantStore,
  OPEN_STATES,
} from './AccessGrantStore';
import { AccessSettings } from './AccessSettings';
import { PersonalRoleManager } from './PersonalRoleManager';

/** Who is calling, and the HTTP request when it came through the REST API. */
export interface AccessCallContext {
  credentials: BackstageCredentials;
  request?: Request<any, any, any, any, any>;
}

interface Caller {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** Databases a grant can be asked for or activated on. */
const USABLE_STATUSES = ['ready', 'orphaned'];
/** A grant on a database in one of these (or gone) is revoked by the task. */
const GONE_STATUSES = ['deleted', 'abandoned'];

const SYSTEM = 'dbaas';
/** The most grants a listing returns (newest first); the task reads all. */
const LIST_LIMIT = 500;

/**
 * Just-in-time personal access, the same for the REST API and the MCP
 * actions: asking (`dbaas.access.request`), deciding (`dbaas.access.approve`,
 * never on one's own request, whatever the policy), activating (the
 * requester only, once: the one answer with the password), revoking
 * (requester, tenant owners, approvers) and the expiry task's work.
 */
export class AccessGrantsService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(
    private readonly options: {
      store: AccessGrantStore;
      inventory: InventoryStore;
      clusters: ClusterSettings[];
      access: DatabaseAccess;
      userInfo: UserInfoService;
      tenants: TenantDirectory;
      roles: PersonalRoleManager;
      events: AccessGrantEvents;
      settings: AccessSettings;
      connectionInfo: ConnectionInfoBuilder;
      logger: LoggerService;
      now?: () => Date;
      newId?: () => string;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  /** Asks for access; approved at once when the policy says so. */
  async request(
    ref: DatabaseRef,
    body: unknown,
    context: AccessCallContext,
  ): Promise<AccessGrant> {
    const caller = await this.identify(context.credentials);
    return this.options.events.audited(
      {
        eventId: 'access-request',
        actor: caller?.userEntityRef,
        request: context.request,
        meta: { database: `${ref.namespace}/${ref.name}` },
      },
      async () => {
        const user = this.requireUser(caller);
        checkRef(ref);
        const { access, durationMinutes, reason } = this.checkBody(body);
        await this.options.access.assertDatabase(
          dbaasAccessRequestPermission,
          ref,
          context.credentials,
        );
        const { database, cluster } = await this.usableDatabase(ref);
        const auto = await this.isAutoApproved(user, database, cluster);
        const now = this.now();
        const record = await this.options.store.insert({
          id: this.newId(),
          namespace: ref.namespace,
          name: ref.name,
          databaseName: database.databaseName,
          cluster: cluster.name,
          requestedBy: user.userEntityRef,
          access,
          reason,
          durationMinutes,
          state: auto ? 'approved' : 'pending',
          requestedAt: now,
          expiresAt: new Date(
            now.getTime() + this.options.settings.requestTtlMs,
          ),
          autoApproved: auto,
          ...(auto ? { decidedBy: SYSTEM, decidedAt: now } : {}),
          updatedAt: now,
        });
        const owners = await this.ownersOf(record.namespace);
        await this.options.events.notify(
          record,
          auto
            ? [record.requestedBy, ...owners]
            : [
                record.requestedBy,
                ...owners,
                ...this.options.settings.notifyGroups,
              ],
          auto
            ? `Personal ${access} access to ${record.databaseName} approved: activate it`
            : `${record.requestedBy} asks for ${access} access to ${record.databaseName}`,
          `${durationMinutes} minutes. Reason: ${reason}`,
        );
        return this.toGrant(record, user, context.credentials);
      },
      grant => ({
        grantId: grant.id,
        state: grant.state,
        access: grant.access,
        durationMinutes: grant.durationMinutes,
      }),
    );
  }

  /** The database's grants (open ones first) and what the form needs. */
  async listForDatabase(
    ref: DatabaseRef,
    filter: { state?: unknown },
    credentials: BackstageCredentials,
  ): Promise<DatabaseAccessGrants> {
    checkRef(ref);
    const states = this.checkState(filter.state);
    await this.options.access.assertDatabase(
      dbaasDatabaseReadPermission,
      ref,
      credentials,
    );
    const caller = await this.identify(credentials);
    const records = await this.options.store.list({
      namespace: ref.namespace,
      name: ref.name,
      states: states ?? OPEN_STATES,
      limit: LIST_LIMIT,
    });
    const database = await this.options.inventory.getDatabase(ref);
    const cluster = this.clusterOf(database);
    const approvalRequired =
      !caller || !database || !cluster
        ? true
        : !(await this.isAutoApproved(caller, database, cluster));
    const mayRequest =
      caller !== undefined &&
      (await this.options.access
        .assertDatabase(dbaasAccessRequestPermission, ref, credentials)
        .then(
          () => true,
          () => false,
        ));
    return {
      items: await this.toGrants(records, caller, credentials),
      mayRequest,
      maxDurationMinutes: this.options.settings.maxDurationMinutes,
      defaultDurationMinutes: this.options.settings.defaultDurationMinutes,
      approvalRequired,
    };
  }

  /**
   * Grants the caller may see, newest first: of the databases they may
   * read, their own, and every one for approvers (the approvals inbox).
   */
  async list(
    filter: { state?: unknown; namespace?: string; name?: string },
    credentials: BackstageCredentials,
  ): Promise<AccessGrant[]> {
    const states = this.checkState(filter.state);
    const caller = await this.identify(credentials);
    const records = await this.options.store.list({
      namespace: filter.namespace,
      name: filter.name,
      states,
      limit: LIST_LIMIT,
    });
    const visible = await this.filterVisible(records, caller, credentials);
    return this.toGrants(visible, caller, credentials);
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<AccessGrant> {
    const caller = await this.identify(credentials);
    const record = await this.load(id);
    if (!(await this.filterVisible([record], caller, credentials)).length) {
      throw new NotFoundError(`No access grant ${id}`);
    }
    return this.toGrant(record, caller, credentials);
  }

  /** Approves a pending grant: someone with `dbaas.access.approve`, not the requester. */
  async approve(
    id: string,
    body: { comment?: string } | undefined,
    context: AccessCallContext,
  ): Promise<AccessGrant> {
    return this.decide(id, 'approve', body?.comment, context);
  }

  /** Rejects a pending grant, with a reason; the same rights as approving. */
  async reject(
    id: string,
    body: { reason?: string } | undefined,
    context: AccessCallContext,
  ): Promise<AccessGrant> {
    const reason = body?.reason?.trim();
    if (!reason) {
      throw new InputError('reason is required to reject an access request');
    }
    return this.decide(id, 'reject', reason, context);
  }

  /**
   * The requester turns an approved grant into a login role, once: this
   * answer is the only place the password ever appears.
   */
  async activate(
    id: string,
    context: AccessCallContext,
  ): Promise<ActivatedAccessGrant> {
    const caller = await this.identify(context.credentials);
    let password: string | undefined;
    let activated: AccessGrantRecord | undefined;
    const grant = await this.options.events.audited(
      {
        eventId: 'access-activate',
        severityLevel: 'high',
        actor: caller?.userEntityRef,
        request: context.request,
        meta: { grantId: id },
      },
      async () => {
        const user = this.requireUser(caller);
        const record = await this.load(id);
        if (record.requestedBy !== user.userEntityRef) {
          throw new NotAllowedError(
            'Only the person who asked for this access may activate it',
          );
        }
        if (record.state !== 'approved') {
          throw new ConflictError(this.notInState(record, 'approved'));
        }
        const { cluster } = await this.usableDatabase(record);
        const now = this.now();
        const loginRole = personalRoleName(record.requestedBy, record.id);
        const validUntil = new Date(
          now.getTime() + record.durationMinutes * 60_000,
        );
        // The claim: of two activations at once, exactly one gets here.
        const claimed = await this.options.store.transition(id, ['approved'], {
          state: 'active',
          loginRole,
          activatedAt: now,
          validUntil,
          updatedAt: now,
        });
        if (!claimed) {
          throw new ConflictError(
            this.notInState((await this.load(id)) ?? record, 'approved'),
          );
        }
        password = generatePassword();
        const memberOf = deriveDatabaseNames(record.namespace, record.name)
          .roles[record.access];
        try {
          await this.options.roles.create(cluster, {
            role: loginRole,
            password,
            validUntil,
            memberOf,
          });
        } catch (error) {
          password = undefined;
          const message = `Could not create the login role: ${
            (error as Error).message
          }`;
          await this.options.store.transition(id, ['active'], {
            state: 'failed',
            error: message,
            updatedAt: this.now(),
          });
          await this.dropRole(claimed).catch(() => {});
          throw new Error(message);
        }
        // Revoked while the role was being made: it must not stay.
        const after = await this.load(id);
        if (after.state !== 'active') {
          password = undefined;
          await this.dropRole(after);
          throw new ConflictError(`Access grant ${id} is ${after.state}`);
        }
        activated = after;
        await this.options.events.notify(
          after,
          [after.requestedBy, ...(await this.ownersOf(after.namespace))],
          `${after.requestedBy} activated ${after.access} access to ${after.databaseName}`,
          `Login role ${loginRole}, valid until ${validUntil.toISOString()}.`,
        );
        return this.toGrant(after, user, context.credentials);
      },
      result => ({
        grantId: result.id,
        loginRole: result.loginRole ?? null,
        validUntil: result.validUntil ?? null,
      }),
    );
    const info = this.options.connectionInfo.build(
      activated!,
      this.clusterByName(activated!.cluster)!,
    );
    const username = activated!.loginRole!;
    const host = info.localHost;
    const port = info.localPort;
    const sslmode = info.roles[0].sslmode;
    const uri = `postgresql://${encodeURIComponent(
      username,
    )}:${encodeURIComponent(password!)}@${host}:${port}/${encodeURIComponent(
      activated!.databaseName,
    )}?sslmode=${sslmode}`;
    return {
      grant,
      credentials: {
        username,
        password: password!,
        host,
        port,
        database: activated!.databaseName,
        sslmode,
        portForwardCommand: info.portForwardCommand,
        psqlCommand: `psql '${uri}'`,
        uri,
        validUntil: activated!.validUntil!.toISOString(),
      },
    };
  }

  /** Ends a grant early: its requester, the tenant's owners or an approver. */
  async revoke(
    id: string,
    body: { reason?: string } | undefined,
    context: AccessCallContext,
  ): Promise<AccessGrant> {
    const caller = await this.identify(context.credentials);
    return this.options.events.audited(
      {
        eventId: 'access-revoke',
        severityLevel: 'high',
        actor: caller?.userEntityRef,
        request: context.request,
        meta: { grantId: id },
      },
      async () => {
        const user = this.requireUser(caller);
        const record = await this.load(id);
        if (!(await this.mayRevoke(record, user, context.credentials))) {
          throw new NotAllowedError(
            'Only the requester, the tenant’s owners or an approver (dbaas.access.approve) may revoke this access',
          );
        }
        const now = this.now();
        const revoked = await this.options.store.transition(id, OPEN_STATES, {
          state: 'revoked',
          revokedBy: user.userEntityRef,
          revokedAt: now,
          revokeReason: body?.reason?.trim() || undefined,
          updatedAt: now,
        });
        if (!revoked) {
          throw new ConflictError(
            `Access grant ${id} is already ${record.state}`,
          );
        }
        const ended = await this.endRole(revoked);
        await this.options.events.notify(
          ended,
          [ended.requestedBy, ...(await this.ownersOf(ended.namespace))],
          `${ended.access} access of ${ended.requestedBy} to ${ended.databaseName} revoked by ${user.userEntityRef}`,
          ended.revokeReason,
        );
        return this.toGrant(ended, user, context.credentials);
      },
      grant => ({ grantId: grant.id, state: grant.state }),
    );
  }

  /**
   * The expiry task's work: grants nobody acted on in time and active
   * grants whose time is up expire, grants on databases that are gone are
   * revoked, and every ended grant's login role is dropped (retried on
   * the next run when the cluster cannot be reached).
   */
  async runExpiry(): Promise<{
    expired: number;
    revoked: number;
    dropped: number;
  }> {
    const { store, inventory, events } = this.options;
    const now = this.now();
    let expired = 0;
    let revoked = 0;
    const end = async (
      record: AccessGrantRecord,
      patch: AccessGrantPatch,
      eventId: 'access-expire' | 'access-revoke',
      title: string,
    ) => {
      const ended = await store.transition(record.id, [record.state], {
        ...patch,
        updatedAt: now,
      });
      if (!ended) {
        return false;
      }
      await events.record({
        eventId,
        actor: SYSTEM,
        meta: describeGrant(ended),
      });
      await events.notify(
        ended,
        [ended.requestedBy, ...(await this.ownersOf(ended.namespace))],
        title,
      );
      return true;
    };

    for (const record of await store.listUnactedBefore(now)) {
      if (
        await end(
          record,
          { state: 'expired' },
          'access-expire',
          `Access request for ${record.databaseName} expired unused`,
        )
      ) {
        expired++;
      }
    }
    for (const record of await store.listActiveEndedBefore(now)) {
      if (
        await end(
          record,
          { state: 'expired' },
          'access-expire',
          `${record.access} access of ${record.requestedBy} to ${record.databaseName} ended`,
        )
      ) {
        expired++;
      }
    }
    for (const record of await store.list({ states: OPEN_STATES })) {
      const database = await inventory.getDatabase(record);
      if (database && !GONE_STATUSES.includes(database.status)) {
        continue;
      }
      if (
        await end(
          record,
          {
            state: 'revoked',
            revokedBy: SYSTEM,
            revokedAt: now,
            revokeReason: `The database ${record.databaseName} no longer exists`,
          },
          'access-revoke',
          `Access to ${record.databaseName} revoked: the database no longer exists`,
        )
      ) {
        revoked++;
      }
    }

    let dropped = 0;
    for (const record of await store.listRolesToDrop()) {
      try {
        await this.dropRole(record);
        dropped++;
      } catch (error) {
        this.options.logger.warn(
          `Could not drop login role ${record.loginRole} of access grant ${record.id}: ${error}`,
        );
      }
    }
    return { expired, revoked, dropped };
  }

  // --- decisions -----------------------------------------------------------

  private async decide(
    id: string,
    decision: 'approve' | 'reject',
    comment: string | undefined,
    context: AccessCallContext,
  ): Promise<AccessGrant> {
    const caller = await this.identify(context.credentials);
    const record = await this.options.store.get(id);
    const ownRequest =
      record !== undefined && caller?.userEntityRef === record.requestedBy;
    return this.options.events.audited(
      {
        eventId: decision === 'approve' ? 'access-approve' : 'access-reject',
        // Deciding on one's own request is an attempt worth a look.
        severityLevel: ownRequest ? 'high' : 'medium',
        actor: caller?.userEntityRef,
        request: context.request,
        meta: { grantId: id, ...(ownRequest ? { ownRequest: true } : {}) },
      },
      async () => {
        const user = this.requireUser(caller);
        if (!record) {
          throw new NotFoundError(`No access grant ${id}`);
        }
        if (ownRequest) {
          throw new NotAllowedError(
            `You may not ${decision} your own access request`,
          );
        }
        if (!(await this.isApprover(context.credentials))) {
          throw new NotAllowedError(
            'You may not decide on access requests (dbaas.access.approve)',
          );
        }
        const now = this.now();
        const decided = await this.options.store.transition(id, ['pending'], {
          state: decision === 'approve' ? 'approved' : 'rejected',
          decidedBy: user.userEntityRef,
          decidedAt: now,
          decisionComment: comment,
          // An approved grant waits for its activation as long again.
          ...(decision === 'approve'
            ? {
                expiresAt: new Date(
                  now.getTime() + this.options.settings.requestTtlMs,
                ),
              }
            : {}),
          updatedAt: now,
        });
        if (!decided) {
          throw new ConflictError(
            this.notInState(await this.load(id), 'pending'),
          );
        }
        await this.options.events.notify(
          decided,
          [decided.requestedBy, ...(await this.ownersOf(decided.namespace))],
          decision === 'approve'
            ? `${decided.access} access to ${decided.databaseName} approved by ${user.userEntityRef}: activate it`
            : `${decided.access} access to ${decided.databaseName} rejected by ${user.userEntityRef}`,
          comment,
        );
        return this.toGrant(decided, user, context.credentials);
      },
      grant => ({ grantId: grant.id, state: grant.state }),
    );
  }

  /** Owners get the policy's answer; anybody else always waits for an approver. */
  private async isAutoApproved(
    caller: Caller,
    database: DatabaseRecord,
    cluster: ClusterSettings,
  ): Promise<boolean> {
    if (
      this.options.settings.approval[cluster.environment][database.mode] !==
      'auto'
    ) {
      return false;
    }
    const owners = await this.ownersOf(database.namespace);
    return owners.some(owner => caller.ownershipEntityRefs.includes(owner));
  }

  private async isApprover(
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    return this.options.access.isAllowed(
      dbaasAccessApprovePermission,
      credentials,
    );
  }

  private async mayRevoke(
    record: AccessGrantRecord,
    caller: Caller,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    if (record.requestedBy === caller.userEntityRef) {
      return true;
    }
    const owners = await this.ownersOf(record.namespace);
    if (owners.some(owner => caller.ownershipEntityRefs.includes(owner))) {
      return true;
    }
    return this.isApprover(credentials);
  }

  // --- roles ---------------------------------------------------------------

  /** Drops the login role now if the grant has one; the task retries failures. */
  private async endRole(record: AccessGrantRecord): Promise<AccessGrantRecord> {
    if (!record.loginRole) {
      return record;
    }
    try {
      await this.dropRole(record);
    } catch (error) {
      this.options.logger.warn(
        `Could not drop login role ${record.loginRole} of access grant ${record.id} now, the access task retries: ${error}`,
      );
    }
    return (await this.options.store.get(record.id)) ?? record;
  }

  private async dropRole(record: AccessGrantRecord): Promise<void> {
    if (!record.loginRole) {
      return;
    }
    const cluster = this.clusterByName(record.cluster);
    if (!cluster) {
      throw new Error(`cluster ${record.cluster} is not configured`);
    }
    try {
      await this.options.roles.drop(cluster, {
        role: record.loginRole,
        reassignTo: deriveDatabaseNames(record.namespace, record.name).roles[
          record.access
        ],
      });
    } catch (error) {
      await this.options.store.setError(
        record.id,
        `Could not drop login role ${record.loginRole}: ${
          (error as Error).message
        }`,
        this.now(),
      );
      await this.options.events.record(
        {
          eventId: 'access-role-drop',
          actor: SYSTEM,
          meta: describeGrant(record),
        },
        error as Error,
      );
      throw error;
    }
    await this.options.store.markRoleDropped(record.id, this.now());
    await this.options.events.record({
      eventId: 'access-role-drop',
      actor: SYSTEM,
      meta: describeGrant(record),
    });
  }

  // --- helpers -------------------------------------------------------------

  private checkBody(body: unknown): {
    access: RoleAccess;
    durationMinutes: number;
    reason: string;
  } {
    const b = (body ?? {}) as Record<string, unknown>;
    if (!ROLE_ACCESS.includes(b.access as RoleAccess)) {
      throw new InputError(
        `access must be one of ${ROLE_ACCESS.join(', ')}, not ${JSON.stringify(
          b.access,
        )}`,
      );
    }
    const max = this.options.settings.maxDurationMinutes;
    const durationMinutes = b.durationMinutes;
    if (
      typeof durationMinutes !== 'number' ||
      !Number.isInteger(durationMinutes) ||
      durationMinutes < 1
    ) {
      throw new InputError(
        `durationMinutes must be a whole number of minutes from 1 to ${max}`,
      );
    }
    if (durationMinutes > max) {
      throw new InputError(
        `durationMinutes ${durationMinutes} is longer than the maximum of ${max} minutes (dbaas.access.maxDuration)`,
      );
    }
    const reason = typeof b.reason === 'string' ? b.reason.trim() : '';
    if (!reason) {
      throw new InputError('reason is required: say why you need access');
    }
    if (reason.length > 2000) {
      throw new InputError('reason must be at most 2000 characters');
    }
    return { access: b.access as RoleAccess, durationMinutes, reason };
  }

  private checkState(state: unknown): AccessGrantState[] | undefined {
    if (state === undefined || state === '') {
      return undefined;
    }
    if (!ACCESS_GRANT_STATES.includes(state as AccessGrantState)) {
      throw new InputError(
        `state must be one of ${ACCESS_GRANT_STATES.join(', ')}`,
      );
    }
    return [state as AccessGrantState];
  }

  private async usableDatabase(
    ref: DatabaseRef,
  ): Promise<{ database: DatabaseRecord; cluster: ClusterSettings }> {
    const database = await this.options.inventory.getDatabase(ref);
    if (!database || GONE_STATUSES.includes(database.status)) {
      throw new NotFoundError(
        `No database ${ref.namespace}/${ref.name} in the inventory`,
      );
    }
    if (!USABLE_STATUSES.includes(database.status)) {
      throw new ConflictError(
        `${ref.namespace}/${ref.name} is ${database.status}: access is only given to ready databases`,
      );
    }
    const cluster = this.clusterOf(database);
    if (!cluster) {
      throw new ConflictError(
        `${ref.namespace}/${ref.name} is on no configured cluster`,
      );
    }
    return { database, cluster };
  }

  private clusterOf(database?: DatabaseRecord): ClusterSettings | undefined {
    return database?.cluster ? this.clusterByName(database.cluster) : undefined;
  }

  private clusterByName(name: string): ClusterSettings | undefined {
    return this.options.clusters.find(c => c.name === name);
  }

  private async load(id: string): Promise<AccessGrantRecord> {
    const record = await this.options.store.get(id);
    if (!record) {
      throw new NotFoundError(`No access grant ${id}`);
    }
    return record;
  }

  private notInState(record: AccessGrantRecord, wanted: string): string {
    if (wanted === 'approved' && record.state === 'active') {
      return `Access grant ${record.id} is already activated: its password was shown once and cannot be shown again`;
    }
    return `Access grant ${record.id} is ${record.state}, not ${wanted}`;
  }

  private async identify(
    credentials: BackstageCredentials,
  ): Promise<Caller | undefined> {
    if ((credentials.principal as { type?: string })?.type !== 'user') {
      return undefined;
    }
    const info = await this.options.userInfo.getUserInfo(credentials);
    return {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  }

  private requireUser(caller: Caller | undefined): Caller {
    if (!caller) {
      throw new NotAllowedError('Only signed-in users ask for personal access');
    }
    return caller;
  }

  private async ownersOf(namespace: string): Promise<string[]> {
    const tenants = await this.options.tenants.listTenants();
    return tenants.find(t => t.namespace === namespace)?.owners ?? [];
  }

  private async filterVisible(
    records: AccessGrantRecord[],
    caller: Caller | undefined,
    credentials: BackstageCredentials,
  ): Promise<AccessGrantRecord[]> {
    if (records.length === 0) {
      return records;
    }
    if (caller && (await this.isApprover(credentials))) {
      return records;
    }
    const readable = new Set(
      (await this.options.access.filterReadable(records, credentials)).map(
        r => r.id,
      ),
    );
    return records.filter(
      r => readable.has(r.id) || r.requestedBy === caller?.userEntityRef,
    );
  }

  private async toGrants(
    records: AccessGrantRecord[],
    caller: Caller | undefined,
    credentials: BackstageCredentials,
  ): Promise<AccessGrant[]> {
    const approver = caller ? await this.isApprover(credentials) : false;
    const tenants = await this.options.tenants.listTenants();
    return records.map(record =>
      toAccessGrant(
        record,
        allowedActions(record, caller, {
          approver,
          owner:
            caller !== undefined &&
            (
              tenants.find(t => t.namespace === record.namespace)?.owners ?? []
            ).some(o => caller.ownershipEntityRefs.includes(o)),
        }),
      ),
    );
  }

  private async toGrant(
    record: AccessGrantRecord,
    caller: Caller | undefined,
    credentials: BackstageCredentials,
  ): Promise<AccessGrant> {
    return (await this.toGrants([record], caller, credentials))[0];
  }
}

function allowedActions(
  record: AccessGrantRecord,
  caller: Caller | undefined,
  rights: { approver: boolean; owner: boolean },
): AccessGrantAction[] {
  if (!caller) {
    return [];
  }
  const own = record.requestedBy === caller.userEntityRef;
  const actions: AccessGrantAction[] = [];
  if (record.state === 'pending' && rights.approver && !own) {
    actions.push('approve', 'reject');
  }
  if (record.state === 'approved' && own) {
    actions.push('activate');
  }
  if (
    OPEN_STATES.includes(record.state) &&
    (own || rights.owner || rights.approver)
  ) {
    actions.push('revoke');
  }
  return actions;
}

/** The API's view of a record; there is no password in either. */
export function toAccessGrant(
  record: AccessGrantRecord,
  allowed: AccessGrantAction[],
): AccessGrant {
  const iso = (d?: Date) => (d ? { v: d.toISOString() } : undefined);
  const optional = <K extends string>(key: K, value: string | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, string>);
  return {
    id: record.id,
    namespace: record.namespace,
    name: record.name,
    databaseName: record.databaseName,
    cluster: record.cluster,
    access: record.access,
    reason: record.reason,
    durationMinutes: record.durationMinutes,
    state: record.state,
    requestedBy: record.requestedBy,
    requestedAt: record.requestedAt.toISOString(),
    ...optional('expiresAt', iso(record.expiresAt)?.v),
    autoApproved: record.autoApproved,
    ...optional('decidedBy', record.decidedBy),
    ...optional('decidedAt', iso(record.decidedAt)?.v),
    ...optional('decisionComment', record.decisionComment),
    ...optional('loginRole', record.loginRole),
    ...optional('activatedAt', iso(record.activatedAt)?.v),
    ...optional('validUntil', iso(record.validUntil)?.v),
    ...optional('revokedBy', record.revokedBy),
    ...optional('revokedAt', iso(record.revokedAt)?.v),
    ...optional('revokeReason', record.revokeReason),
    ...optional('roleDroppedAt', iso(record.roleDroppedAt)?.v),
    ...optional('error', record.error),
    updatedAt: record.updatedAt.toISOString(),
    allowedActions: allowed,
  };
}
