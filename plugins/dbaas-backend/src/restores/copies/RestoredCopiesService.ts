import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import {
  DatabaseRef,
  DeleteRestoredCopyRequest,
  RestoredCopy,
  RestoredCopyOrigin,
  RestoredCopyState,
  dbaasDatabaseReadPermission,
  dbaasRestoreRequestPermission,
  deriveDatabaseNames,
} from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  DatabaseProvisioner,
  GitopsSettings,
  TenantDirectory,
  createDatabaseEdit,
  databaseFolderPaths,
  suiteBranchName,
} from '@dbaas/plugin-dbaas-node';
import type { Request } from 'express';
import { Knex } from 'knex';
import { DatabaseAccess } from '../../access/DatabaseAccess';
import { isOwnedBySuite } from '../../inventory/deriveDatabaseStatus';
import { InventoryStore } from '../../inventory/InventoryStore';
import { oneLine } from '../../inventory/oneLine';
import { RestoreCallContext, RestoreDeciders } from '../RestoreDeciders';
import { RestoredCopySettings } from './RestoredCopySettings';
import { RestoredCopyStore, StoredRestoredCopy } from './RestoredCopyStore';

/** Audit event ids of restored copies. */
export type RestoredCopyAuditEventId =
  | 'restored-copy-keep'
  | 'restored-copy-delete'
  | 'restored-copy-expire'
  | 'restored-copy-expiry-warning';

/** Advisory lock class of keep pull requests (one holder per copy). */
const KEEP_LOCK_CLASS = 0x64626b70; // 'dbkp'

/** How many due drops one task run takes on. */
const DROPS_PER_RUN = 20;

export function restoredCopyState(copy: StoredRestoredCopy): RestoredCopyState {
  if (copy.droppedAt) {
    return 'dropped';
  }
  if (copy.droppingSince) {
    return 'dropping';
  }
  return copy.keep ? 'kept' : 'expiring';
}

export function restoredCopyOrigin(
  copy: StoredRestoredCopy,
): RestoredCopyOrigin {
  return {
    restoreId: copy.restoreId,
    source: copy.source,
    snapshotCreatedAt: copy.snapshotCreatedAt.toISOString(),
    state: restoredCopyState(copy),
    ...(copy.expiresAt && !copy.keep
      ? { expiresAt: copy.expiresAt.toISOString() }
      : {}),
  };
}

/** Copies not dropped by `<namespace>-<name>`, the newest per name. */
export async function liveRestoredCopyOrigins(
  store: RestoredCopyStore,
): Promise<Map<string, RestoredCopyOrigin>> {
  const origins = new Map<string, RestoredCopyOrigin>();
  for (const copy of await store.listLive()) {
    if (!origins.has(copy.databaseName)) {
      origins.set(copy.databaseName, restoredCopyOrigin(copy));
    }
  }
  return origins;
}

/**
 * The databases `new-database` restores create, as first-class databases:
 * recorded with the restore that made them, dropped with their roles and
 * secrets when they expire unless kept; "keep" opens the pull request that
 * adds one to the apps repository (the same edit and per-database branch
 * as the create action), "delete now" drops it at once.
 *
 * Keep and delete are for whoever may request a restore of the copy
 * (`dbaas.restore.request` on it: the tenant's owners and the platform
 * team in the default policy), signed-in users only; both are audited.
 */
export class RestoredCopiesService {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      store: RestoredCopyStore;
      knex: Knex;
      inventory: InventoryStore;
      access: DatabaseAccess;
      deciders: RestoreDeciders;
      appsRepo: AppsRepository;
      gitops: Pick<GitopsSettings, 'basePath' | 'chartVersion'>;
      /** By cluster name: what drops a copy with its roles and secrets. */
      provisioners: ReadonlyMap<string, DatabaseProvisioner>;
      tenants: TenantDirectory;
      auditor: AuditorService;
      notifications?: NotificationService;
      logger: LoggerService;
      settings: Pick<
        RestoredCopySettings,
        'expireAfterMs' | 'warnBeforeMs' | 'dropClaimMs'
      >;
      /** Asks the inventory to sync soon (after a keep or a drop). */
      requestSync?: () => Promise<unknown>;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Records the copies of restores that succeeded since the last call. */
  async recordNew(): Promise<number> {
    return this.options.store.recordNew(
      this.options.settings.expireAfterMs,
      this.now(),
    );
  }

  /** The copy a restore created, for whoever may read it. */
  async get(
    restoreId: string,
    credentials: BackstageCredentials,
  ): Promise<RestoredCopy> {
    await this.recordNew();
    const copy = await this.require(restoreId);
    await this.options.access.assertDatabase(
      dbaasDatabaseReadPermission,
      copy,
      credentials,
    );
    return this.view(copy, credentials);
  }

  /**
   * The copy of a restore request, or undefined (not a succeeded
   * `new-database` restore); the caller has checked read access.
   */
  async forRestore(
    restoreId: string,
    credentials: BackstageCredentials,
  ): Promise<RestoredCopy | undefined> {
    const copy = await this.options.store.get(restoreId);
    return copy ? this.view(copy, credentials) : undefined;
  }

  /** Live copies by database name (see {@link liveRestoredCopyOrigins}). */
  async liveOrigins(): Promise<Map<string, RestoredCopyOrigin>> {
    await this.recordNew();
    return liveRestoredCopyOrigins(this.options.store);
  }

  /** The live copy of one database, if it is one. */
  async liveCopyOf(ref: DatabaseRef): Promise<StoredRestoredCopy | undefined> {
    const [copy] = await this.options.store.listLive(ref);
    return copy;
  }

  /**
   * Keeps a copy: it no longer expires, and a pull request adds it to the
   * apps repository as a standard database (branch
   * `dbaas/create/<namespace>/<name>`, the create action's). Two keeps at
   * once give one pull request: one holds the copy's lock while it
   * proposes the change, the other then finds it recorded.
   */
  async keep(
    restoreId: string,
    context: RestoreCallContext,
  ): Promise<RestoredCopy> {
    const caller = await this.options.deciders.requireUser(context.credentials);
    return this.audited(
      'restored-copy-keep',
      { actor: caller.userEntityRef, restoreId },
      context.request,
      async () => {
        const { store, knex } = this.options;
        await this.recordNew();
        const copy = await this.require(restoreId);
        await this.options.access.assertDatabase(
          dbaasRestoreRequestPermission,
          copy,
          context.credentials,
        );
        this.refuseGone(copy, 'kept');
        const claim = await store.claimKeep(
          restoreId,
          caller.userEntityRef,
          this.now(),
        );
        if (!claim.copy?.keep) {
          this.refuseGone(claim.copy ?? copy, 'kept');
          throw new ConflictError(
            `The copy ${copy.databaseName} cannot be kept now; try again`,
          );
        }
        const kept = await knex.transaction(async tx => {
          await tx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [
            KEEP_LOCK_CLASS,
            restoreId,
          ]);
          const current = (await store.get(restoreId))!;
          if (current.keep?.pullRequestUrl) {
            return current;
          }
          try {
            const proposed = await this.options.appsRepo.proposeChange(
              this.keepChange(current, caller.userEntityRef),
            );
            await store.recordKeepChange(restoreId, proposed, this.now());
          } catch (error) {
            await store.recordError(
              restoreId,
              `keep: ${oneLine(error)}`,
              this.now(),
            );
            throw error;
          }
          return (await store.get(restoreId))!;
        });
        if (claim.claimed) {
          await this.requestSync();
          await this.notifyOwners(
            kept,
            `Restored copy ${kept.databaseName} kept`,
            `${caller.userEntityRef} keeps it: ${
              kept.keep?.merged
                ? `added to the apps repository (${kept.keep.pullRequestUrl})`
                : `pull request #${kept.keep?.pullRequestNumber} (${kept.keep?.pullRequestUrl}) adds it to the apps repository`
            }. It no longer expires.`,
          );
        }
        return this.view(kept, context.credentials);
      },
      result => ({
        database: result.databaseName,
        ...(result.keep?.pullRequestUrl
          ? { pullRequestUrl: result.keep.pullRequestUrl }
          : {}),
      }),
    );
  }

  /**
   * Drops a copy now, with its roles and secrets, once its database name
   * is typed again in `confirm`. Refused for a copy being kept.
   */
  async deleteNow(
    restoreId: string,
    body: DeleteRestoredCopyRequest | undefined,
    context: RestoreCallContext,
  ): Promise<RestoredCopy> {
    const caller = await this.options.deciders.requireUser(context.credentials);
    return this.audited(
      'restored-copy-delete',
      { actor: caller.userEntityRef, restoreId },
      context.request,
      async () => {
        const { store } = this.options;
        await this.recordNew();
        const copy = await this.require(restoreId);
        await this.options.access.assertDatabase(
          dbaasRestoreRequestPermission,
          copy,
          context.credentials,
        );
        const confirm = body?.confirm;
        if (confirm !== copy.databaseName) {
          throw new InputError(
            `To delete the copy, confirm must be its database name '${
              copy.databaseName
            }' (got ${confirm === undefined ? 'nothing' : `'${confirm}'`})`,
          );
        }
        this.refuseGone(copy, 'deleted');
        this.refuseKept(copy);
        const now = this.now();
        const claimed = await store.claimDrop(restoreId, {
          reason: 'deleted',
          by: caller.userEntityRef,
          now,
          staleBefore: new Date(
            now.getTime() - this.options.settings.dropClaimMs,
          ),
        });
        if (!claimed) {
          const current = (await store.get(restoreId))!;
          this.refuseGone(current, 'deleted');
          this.refuseKept(current);
          throw new ConflictError(
            `The copy ${copy.databaseName} is being changed; try again`,
          );
        }
        await this.drop(copy, 'deleted', caller.userEntityRef);
        return this.view((await store.get(restoreId))!, context.credentials);
      },
      result => ({ database: result.databaseName, state: result.state }),
    );
  }

  /**
   * One pass of the restored copies task: records new copies, tells the
   * owners of copies about to expire (once each), and drops the expired
   * ones that nobody kept (and drops a replica left half done).
   */
  async runOnce(): Promise<{ warned: number; dropped: number }> {
    const { store, settings, logger } = this.options;
    await this.recordNew();
    const now = this.now();
    const warnings = await store.claimWarnings(
      new Date(now.getTime() + settings.warnBeforeMs),
      now,
    );
    for (const copy of warnings) {
      await this.record('restored-copy-expiry-warning', {
        restoreId: copy.restoreId,
        database: copy.databaseName,
        expiresAt: copy.expiresAt!.toISOString(),
      });
      await this.notifyOwners(
        copy,
        `Restored copy ${
          copy.databaseName
        } expires ${copy.expiresAt!.toISOString()}`,
        `Restored from ${
          copy.source.databaseName
        } at ${copy.snapshotCreatedAt.toISOString()}. It is dropped with its roles and secrets then, unless someone keeps it (Keep on its restore).`,
      );
    }

    let dropped = 0;
    const staleBefore = new Date(now.getTime() - settings.dropClaimMs);
    for (const due of await store.listDueDrops(
      now,
      staleBefore,
      DROPS_PER_RUN,
    )) {
      const claimed = await store.claimDrop(due.restoreId, {
        reason: due.reason,
        by: due.by,
        now,
        staleBefore,
      });
      const copy = claimed ? await store.get(due.restoreId) : undefined;
      if (!copy) {
        continue;
      }
      try {
        await this.drop(copy, due.reason, due.by);
        dropped += 1;
      } catch (error) {
        logger.warn(
          `Could not drop the restored copy ${copy.databaseName}: ${oneLine(
            error,
          )}`,
        );
      }
    }
    return { warned: warnings.length, dropped };
  }

  /** Drops a claimed copy; on failure the claim is released with the error. */
  private async drop(
    copy: StoredRestoredCopy,
    reason: 'expired' | 'deleted',
    by: string | undefined,
  ): Promise<void> {
    const { store, inventory, provisioners } = this.options;
    const eventId =
      reason === 'expired' ? 'restored-copy-expire' : 'restored-copy-delete';
    // Never drop what the apps repository defines or asks for (defined by
    // hand, or a create pull request opened outside "Keep"): it is kept.
    const known = await inventory.getDatabase(copy);
    if (
      known &&
      (known.status === 'requested' || isOwnedBySuite(known)) &&
      known.status !== 'restored'
    ) {
      const note = `not dropped: the apps repository ${
        known.status === 'requested' ? 'asks for' : 'defines'
      } ${copy.databaseName} (${known.status})`;
      await store.releaseDrop(copy.restoreId, note, this.now());
      await store.claimKeep(
        copy.restoreId,
        'the apps repository',
        this.now(),
        note,
      );
      throw new ConflictError(
        `The copy ${copy.databaseName} is ${known.status} in the apps repository: it is kept, not dropped`,
      );
    }
    const provisioner = provisioners.get(copy.cluster);
    try {
      if (!provisioner) {
        throw new Error(
          `cluster ${copy.cluster} has no provisioner for restored copies`,
        );
      }
      await provisioner.drop({
        namespace: copy.namespace,
        name: copy.name,
        mode: 'standard',
      });
    } catch (error) {
      const message = oneLine(error);
      await store.releaseDrop(copy.restoreId, `drop: ${message}`, this.now());
      if (reason === 'expired') {
        await this.record(
          eventId,
          { restoreId: copy.restoreId, database: copy.databaseName },
          new Error(message),
        );
      }
      throw new ConflictError(
        `Could not drop the copy ${copy.databaseName}: ${message}`,
      );
    }
    await store.markDropped(copy.restoreId, this.now());
    if (reason === 'expired') {
      await this.record(eventId, {
        restoreId: copy.restoreId,
        database: copy.databaseName,
        expiresAt: copy.expiresAt?.toISOString() ?? null,
      });
    }
    await this.requestSync();
    await this.notifyOwners(
      copy,
      reason === 'expired'
        ? `Restored copy ${copy.databaseName} expired and was dropped`
        : `Restored copy ${copy.databaseName} deleted`,
      `${
        reason === 'expired'
          ? 'Nobody kept it before it expired'
          : `${by} deleted it`
      }: the database, its roles and their secrets are gone. It was restored from ${
        copy.source.databaseName
      } at ${copy.snapshotCreatedAt.toISOString()}.`,
    );
  }

  private keepChange(copy: StoredRestoredCopy, by: string) {
    const { basePath, chartVersion } = this.options.gitops;
    const folderPath = databaseFolderPaths({
      basePath,
      namespace: copy.namespace,
      folder: copy.name,
    }).folder;
    return {
      branchName: suiteBranchName('create', copy.namespace, copy.name),
      // The copy's own: a second keep (or a retry) gets this pull request
      // back; another request for the same name is refused while it is open.
      taskId: `restored-copy-${copy.restoreId}`,
      title: `Add PostgreSQL database ${copy.databaseName} (restored copy)`,
      commitMessage: `Add PostgreSQL database ${
        copy.databaseName
      } (restored copy)\n\nKept by ${by}; restored from ${
        copy.source.databaseName
      } at ${copy.snapshotCreatedAt.toISOString()} (restore ${
        copy.restoreId
      }).`,
      body: [
        `## Keep the restored copy \`${copy.databaseName}\``,
        `Kept by ${by}. The database was restored from \`${
          copy.source.databaseName
        }\` as it was at ${copy.snapshotCreatedAt.toISOString()} (restore \`${
          copy.restoreId
        }\`); it already exists in cluster \`${copy.cluster}\` with its roles.`,
        '',
        '| | |',
        '|---|---|',
        `| Tenant (namespace) | \`${copy.namespace}\` |`,
        `| Database | \`${copy.name}\` → \`${copy.databaseName}\` |`,
        '| Mode | standard |',
        `| Folder | \`${folderPath}\` |`,
        '',
        'Once merged it is an ordinary database of the apps repository, with its data. Until then it no longer expires.',
      ].join('\n'),
      edit: createDatabaseEdit({
        basePath,
        namespace: copy.namespace,
        folder: copy.name,
        name: copy.name,
        mode: 'standard',
        chartVersion,
      }),
    };
  }

  private refuseGone(copy: StoredRestoredCopy, what: 'kept' | 'deleted') {
    if (copy.droppedAt) {
      throw new ConflictError(
        `The copy ${
          copy.databaseName
        } was dropped at ${copy.droppedAt.toISOString()} (${
          copy.dropReason === 'expired' ? 'expired' : 'deleted'
        }); it cannot be ${what}`,
      );
    }
    if (copy.droppingSince) {
      throw new ConflictError(
        `The copy ${copy.databaseName} is being dropped; it cannot be ${what}`,
      );
    }
  }

  private refuseKept(copy: StoredRestoredCopy) {
    if (copy.keep) {
      throw new ConflictError(
        `The copy ${copy.databaseName} is kept by ${copy.keep.by}${
          copy.keep.pullRequestUrl
            ? ` (${copy.keep.pullRequestUrl} adds it to the apps repository)`
            : ''
        }: delete it through the apps repository instead`,
      );
    }
  }

  private async require(restoreId: string): Promise<StoredRestoredCopy> {
    const copy = await this.options.store.get(restoreId);
    if (!copy) {
      throw new NotFoundError(
        `Restore request ${restoreId} has no restored copy (only new-database restores that succeeded have one)`,
      );
    }
    return copy;
  }

  private async view(
    copy: StoredRestoredCopy,
    credentials: BackstageCredentials,
  ): Promise<RestoredCopy> {
    const state = restoredCopyState(copy);
    const allowedActions: RestoredCopy['allowedActions'] = [];
    const retryKeep = state === 'kept' && !copy.keep?.pullRequestUrl;
    if (
      (state === 'expiring' || retryKeep) &&
      (credentials.principal as { type?: string })?.type === 'user' &&
      (await this.mayDecide(copy, credentials))
    ) {
      allowedActions.push('keep');
      if (state === 'expiring') {
        allowedActions.push('delete');
      }
    }
    return {
      ...restoredCopyOrigin(copy),
      namespace: copy.namespace,
      name: copy.name,
      databaseName: copy.databaseName,
      cluster: copy.cluster,
      snapshotId: copy.snapshotId,
      createdAt: copy.createdAt.toISOString(),
      ...(copy.keep
        ? {
            keep: {
              by: copy.keep.by,
              at: copy.keep.at.toISOString(),
              ...(copy.keep.branchName
                ? { branchName: copy.keep.branchName }
                : {}),
              ...(copy.keep.pullRequestNumber !== undefined
                ? { pullRequestNumber: copy.keep.pullRequestNumber }
                : {}),
              ...(copy.keep.pullRequestUrl
                ? { pullRequestUrl: copy.keep.pullRequestUrl }
                : {}),
              ...(copy.keep.merged !== undefined
                ? { merged: copy.keep.merged }
                : {}),
            },
          }
        : {}),
      ...(copy.droppedAt
        ? {
            dropped: {
              at: copy.droppedAt.toISOString(),
              ...(copy.droppedBy ? { by: copy.droppedBy } : {}),
              reason: copy.dropReason ?? 'deleted',
            },
          }
        : {}),
      ...(copy.lastError ? { lastError: copy.lastError } : {}),
      allowedActions,
    };
  }

  private async mayDecide(
    copy: StoredRestoredCopy,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    try {
      await this.options.access.assertDatabase(
        dbaasRestoreRequestPermission,
        copy,
        credentials,
      );
      return true;
    } catch (error) {
      if (error instanceof NotAllowedError) {
        return false;
      }
      throw error;
    }
  }

  private async requestSync() {
    try {
      await this.options.requestSync?.();
    } catch (error) {
      this.options.logger.warn(
        `The inventory shows the restored copy at its next sync (refresh failed: ${oneLine(
          error,
        )})`,
      );
    }
  }

  private async audited<T>(
    eventId: RestoredCopyAuditEventId,
    meta: JsonObject,
    request: Request<any, any, any, any, any> | undefined,
    fn: () => Promise<T>,
    describe: (result: T) => JsonObject,
  ): Promise<T> {
    const event = await this.options.auditor.createEvent({
      eventId,
      severityLevel: eventId === 'restored-copy-delete' ? 'high' : 'medium',
      request,
      meta,
    });
    try {
      const result = await fn();
      await event.success({ meta: describe(result) });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  private async record(
    eventId: RestoredCopyAuditEventId,
    meta: JsonObject,
    error?: Error,
  ): Promise<void> {
    const severityLevel: AuditorServiceEventSeverityLevel =
      eventId === 'restored-copy-expiry-warning' ? 'low' : 'medium';
    const event = await this.options.auditor.createEvent({
      eventId,
      severityLevel,
      meta,
    });
    if (error) {
      await event.fail({ error });
    } else {
      await event.success();
    }
  }

  /** The tenant's owners and the restore's requester; never fails the flow. */
  private async notifyOwners(
    copy: StoredRestoredCopy,
    title: string,
    description: string,
  ): Promise<void> {
    const { notifications, tenants, logger } = this.options;
    if (!notifications) {
      return;
    }
    try {
      const tenant = (await tenants.listTenants()).find(
        t => t.namespace === copy.namespace,
      );
      const recipients = [
        ...new Set([...(tenant?.owners ?? []), copy.requestedBy]),
      ];
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title,
          description,
          link: `/catalog/default/resource/${
            deriveDatabaseNames(copy.source.namespace, copy.source.name)
              .entityName
          }`,
          severity: title.includes('expires') ? 'high' : 'normal',
          topic: 'dbaas-restore',
          scope: `dbaas:restored-copy:${copy.restoreId}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify the owners of ${copy.databaseName}: ${oneLine(
          error,
        )}`,
      );
    }
  }
}
