import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { TenantDirectory, tenantsOwnedBy } from '@dbaas/plugin-dbaas-node';
import express from 'express';
import { BillingService } from '../billing/BillingService';
import { RecoveryService } from '../objectives/RecoveryService';
import { SyncRequestOutcome } from '../inventory/scheduleInventorySync';
import { MetricsService } from '../metrics/MetricsService';
import { RequestChecker } from '../naming/InventoryRequestChecker';
import { DatabasesService } from '../reading/DatabasesService';
import { createOpenApiRouter } from '../schema/openapi';
import { SnapshotsService } from '../snapshots/SnapshotsService';
import { RestoresService } from '../restores/RestoresService';
import { registerRestoreRoutes } from './restoreRoutes';
import { registerBillingRoutes } from './billingRoutes';
import { registerSnapshotRoutes } from './snapshotRoutes';
import { registerRecoveryRoutes } from './recoveryRoutes';
import { AccessGrantsService } from '../accessGrants/AccessGrantsService';
import { registerAccessGrantRoutes } from './accessGrantRoutes';
import { RotationService } from '../rotation/RotationService';
import { registerRotationRoutes } from './rotationRoutes';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  userInfo: UserInfoService;
  requestChecker: RequestChecker;
  tenants: TenantDirectory;
  databases: DatabasesService;
  metrics: MetricsService;
  snapshots: SnapshotsService;
  billing: BillingService;
  restores: RestoresService;
  /** Recovery objectives and drills; without it the route is not served. */
  recovery?: RecoveryService;
  /** Personal access grants; without it the routes are not served. */
  accessGrants?: AccessGrantsService;
  /** Credential age and rotation; without it the routes are not served. */
  rotation?: RotationService;
  /**
   * Asks for an inventory sync now; throws NotAllowedError without
   * `dbaas.inventory.refresh` (see InventoryRefreshService).
   */
  refreshInventory(
    credentials: BackstageCredentials,
  ): Promise<SyncRequestOutcome>;
}

/** HTTP only: parse, authorize, call a service, map to a response. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, userInfo, requestChecker, tenants, databases } = options;
  const router = await createOpenApiRouter();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.post('/validate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { problems, inventory, names } = await requestChecker.check(req.body);
    res.json({
      valid: problems.length === 0,
      problems,
      ...(names && { names }),
      ...(inventory && {
        inventory: {
          syncedAt: inventory.syncedAt.toISOString(),
          ...(inventory.baseSha && { baseSha: inventory.baseSha }),
        },
      }),
    });
  });

  router.get('/tenants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    let items = await tenants.listTenants();
    if (req.query.owned) {
      const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
      items = tenantsOwnedBy(items, ownershipEntityRefs);
    }
    res.json({
      items: items.map(({ namespace, owners }) => ({ namespace, owners })),
    });
  });

  router.get('/databases', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await databases.list(
      { namespace: req.query.namespace, status: req.query.status },
      credentials,
    );
    res.json({ items });
  });

  router.get('/databases/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await databases.get(req.params, credentials));
  });

  router.get('/databases/:namespace/:name/connection', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await databases.connection(req.params, credentials));
  });

  router.get('/databases/:namespace/:name/metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await options.metrics.metrics(
        { namespace: req.params.namespace, name: req.params.name },
        req.query,
        credentials,
      ),
    );
  });

  registerBillingRoutes(router, { httpAuth, billing: options.billing });

  registerSnapshotRoutes(router, {
    httpAuth,
    auditor: options.auditor,
    snapshots: options.snapshots,
  });

  registerRestoreRoutes(router, { httpAuth, restores: options.restores });

  if (options.recovery) {
    registerRecoveryRoutes(router, { httpAuth, recovery: options.recovery });
  }

  if (options.accessGrants) {
    registerAccessGrantRoutes(router, {
      httpAuth,
      accessGrants: options.accessGrants,
    });
  }

  if (options.rotation) {
    registerRotationRoutes(router, { httpAuth, rotation: options.rotation });
  }

  router.post('/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const event = await options.auditor.createEvent({
      eventId: 'inventory-refresh',
      request: req,
    });
    let status: SyncRequestOutcome;
    try {
      status = await options.refreshInventory(credentials);
      await event.success({ meta: { status } });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    res.status(202).json({ status });
  });

  return router;
}
