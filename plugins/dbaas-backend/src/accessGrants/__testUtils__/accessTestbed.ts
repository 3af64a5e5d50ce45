import {
  coreServices,
  createBackendPlugin,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dbaasAccessApprovePermission,
  dbaasAccessRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import {
  ClusterSettings,
  ConfigTenantDirectory,
} from '@dbaas/plugin-dbaas-node';
import { quoteIdent } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { applyDatabaseMigrations } from '../../database/migrations';
import { DatabaseInventoryStore } from '../../inventory/DatabaseInventoryStore';
import {
  recordingAuditor,
  testAccess,
  users,
} from '../../restores/__testUtils__/restoreTestbed';
import {
  connect,
  MemorySecretStore,
  testConnection,
  testProvisioner,
} from '../../restores/workflow/engines/testFixtures';
import { createOpenApiRouter, DbaasRouter } from '../../schema/openapi';
import { registerAccessGrantRoutes } from '../../service/accessGrantRoutes';
import { AccessGrantsService } from '../AccessGrantsService';
import { createAccessGrants } from '../createAccessGrants';

export { users };

/** Everything a logger was told, to search for passwords. */
export function capturingLogger() {
  const lines: string[] = [];
  const logger: LoggerService = {
    error: (m, meta) => void lines.push(`${m} ${JSON.stringify(meta ?? {})}`),
    warn: (m, meta) => void lines.push(`${m} ${JSON.stringify(meta ?? {})}`),
    info: (m, meta) => void lines.push(`${m} ${JSON.stringify(meta ?? {})}`),
    debug: (m, meta) => void lines.push(`${m} ${JSON.stringify(meta ?? {})}`),
    child: () => logger,
  };
  return { logger, lines };
}

/** Every notification sent, whole. */
export function capturingNotifications() {
  const sent: any[] = [];
  const notifications = {
    async send(options: any) {
      sent.push(options);
    },
  } as unknown as NotificationService;
  return { notifications, sent };
}

function clusterOn(
  name: string,
  environment: ClusterSettings['environment'],
  admin?: { user: string; password: string; database: string },
): ClusterSettings {
  // The test connection's password is not enumerable: spread only to
  // replace the login.
  const connection = admin
    ? { ...testConnection(), ...admin }
    : testConnection();
  return {
    name,
    environment,
    provider: admin ? 'aurora' : 'local',
    connection,
    publicEndpoint: { host: connection.host, port: connection.port },
    ...(admin
      ? { aurora: { region: 'eu-west-1', clusterIdentifier: 'shared' } }
      : {}),
    namespaces: [],
    capacity: 1,
  };
}

/**
 * An admin like Aurora's master user (`rds_superuser`): CREATEROLE and
 * pg_signal_backend, not a superuser; it connects to `database` through
 * its membership in that database's admin role (no privilege of its own
 * that would keep the namespace cleanup from dropping it).
 */
async function createAuroraLikeAdmin(namespace: string, database: string) {
  const user = `${namespace}-rdsadmin`;
  const password = randomBytes(16).toString('hex');
  const admin = await connect('postgres');
  try {
    await admin.query(
      `CREATE ROLE ${quoteIdent(user)} LOGIN CREATEROLE PASSWORD '${password}'`,
    );
    await admin.query(`GRANT pg_signal_backend TO ${quoteIdent(user)}`);
    await admin.query(
      `GRANT ${quoteIdent(`${database}-admin`)} TO ${quoteIdent(user)}`,
    );
  } finally {
    await admin.end();
  }
  return { user, password, database };
}

/**
 * Personal access over a real store and real clusters (the test server as
 * a local `dev` cluster, and as an Aurora `production` cluster reached
 * through an admin that is no superuser, like Aurora's master user), with `<namespace>-ledger` (dev,
 * standard) and `<namespace>-vault` (production, standard) provisioned,
 * alice owning the tenant, bob and carol approvers, mallory nobody. The
 * routes run behind the real HTTP stack; `call` is a request as a user.
 */
export async function createAccessTestbed(knex: Knex, namespace: string) {
  await applyDatabaseMigrations(mockServices.database({ knex }));
  const secrets = new MemorySecretStore();
  const provisioner = testProvisioner(secrets);
  for (const name of ['ledger', 'vault']) {
    await provisioner.ensure({ namespace, name, mode: 'standard' });
  }
  // Production is an Aurora cluster reached through a master-like admin.
  const clusters = [
    clusterOn('dev-eu', 'dev'),
    clusterOn(
      'prod-eu',
      'production',
      await createAuroraLikeAdmin(namespace, `${namespace}-vault`),
    ),
  ];
  const inventory = new DatabaseInventoryStore(knex);
  const setStatus = (name: string, cluster: string, status = 'ready') =>
    inventory.applyUpdates([
      {
        namespace,
        name,
        databaseName: `${namespace}-${name}`,
        mode: 'standard',
        status: status as 'ready',
        cluster,
        pullRequests: [],
      },
    ]);
  await setStatus('ledger', 'dev-eu');
  await setStatus('vault', 'prod-eu');

  const { access, userInfo } = testAccess(
    (permission, user) => {
      if (permission === dbaasAccessRequestPermission.name) {
        return [users.alice, users.bob].includes(user)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      }
      if (permission === dbaasAccessApprovePermission.name) {
        return [users.bob, users.carol].includes(user)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      }
      return AuthorizeResult.ALLOW;
    },
    [{ namespace, owner: 'group:default/payments' }],
  );
  const { auditor, events: audits } = recordingAuditor();
  const { notifications, sent } = capturingNotifications();
  const { logger, lines } = capturingLogger();

  let now = new Date();
  const clock = {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
  const scheduled: Array<() => Promise<void>> = [];
  const service: AccessGrantsService = await createAccessGrants({
    config: new ConfigReader({
      dbaas: { access: { maxDuration: '8h' }, connection: { direct: true } },
    }),
    logger,
    scheduler: {
      async scheduleTask(task: { fn: () => Promise<void> }) {
        scheduled.push(task.fn);
      },
    } as any,
    knex,
    clusters,
    inventory,
    access,
    userInfo,
    tenants: ConfigTenantDirectory.fromConfig(
      new ConfigReader({
        dbaas: { tenants: [{ namespace, owner: 'group:default/payments' }] },
      }),
    ),
    auditor,
    notifications,
    now: clock.now,
  });

  const plugin = createBackendPlugin({
    pluginId: 'dbaas',
    register(env) {
      env.registerInit({
        deps: {
          httpAuth: coreServices.httpAuth,
          httpRouter: coreServices.httpRouter,
        },
        async init({ httpAuth, httpRouter }) {
          const router: DbaasRouter = await createOpenApiRouter();
          registerAccessGrantRoutes(router, {
            httpAuth,
            accessGrants: service,
          });
          httpRouter.use(router);
        },
      });
    },
  });
  const { server } = await startTestBackend({ features: [plugin] });
  const call = (
    method: 'get' | 'post',
    path: string,
    user: string,
    body?: unknown,
  ) => {
    const r = request(server)
      [method](`/api/dbaas${path}`)
      .set('authorization', mockCredentials.user.header(user));
    return body === undefined ? r : r.send(body as object);
  };

  return {
    service,
    call,
    clock,
    audits,
    sent,
    lines,
    setStatus,
    /** The access task, as the scheduler would run it. */
    runTask: () => scheduled[0](),
    knex,
  };
}
