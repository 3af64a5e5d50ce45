import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ConfigTenantDirectory,
  LocalSecretStore,
  PostgresProvisioner,
  parseConnectionString,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import request from 'supertest';
import { applyDatabaseMigrations } from '../../database/migrations';
import { ConnectionInfoBuilder } from '../../connection/ConnectionInfoBuilder';
import { DatabaseInventoryStore } from '../../inventory/DatabaseInventoryStore';
import { DatabasesService } from '../../reading/DatabasesService';
import {
  recordingAuditor,
  recordingNotifications,
  testAccess,
  users,
} from '../../restores/__testUtils__/restoreTestbed';
import { createOpenApiRouter, DbaasRouter } from '../../schema/openapi';
import { registerRotationRoutes } from '../../service/rotationRoutes';
import { CredentialRotationStore } from '../CredentialRotationStore';
import {
  ClusterCredentialRotator,
  LocalCredentialRotator,
} from '../CredentialRotators';
import { RotationEvents } from '../RotationEvents';
import { RotationCluster, RotationService } from '../RotationService';
import { readRotationSettings } from '../RotationSettings';

export { users };

/**
 * The default policy of these tests: alice owns the tenant (may read
 * connections and rotate), bob and carol approve (`dbaas.access.approve`),
 * bob may also rotate; mallory may do nothing.
 */
export function decide(permission: string, user: string): AuthorizeResult {
  switch (permission) {
    case 'dbaas.connection.read':
      return user === users.mallory
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    case 'dbaas.credentials.rotate':
      return [users.alice, users.bob].includes(user)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    case 'dbaas.access.approve':
      return [users.bob, users.carol].includes(user)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    default:
      return AuthorizeResult.DENY;
  }
}

/** A logger that keeps every line (to look for passwords in them). */
export function capturingLogger() {
  const lines: string[] = [];
  const logger = mockServices.logger.mock();
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    logger[level].mockImplementation((message: string, meta?: unknown) => {
      lines.push(`${message} ${meta ? JSON.stringify(meta) : ''}`);
    });
  }
  logger.child.mockImplementation(() => logger);
  return { logger, lines };
}

/**
 * Credential rotation on a real plugin database and, unless `rotators` is
 * given, the real test PostgreSQL server as a self-hosted cluster
 * `local` (environment `environment`): databases `<ns>-ledger`
 * (standard) and `<ns>-vault` (protected) provisioned, tenant `<ns>` owned
 * by alice's group; the routes behind the real HTTP stack.
 */
export async function createRotationTestbed(
  knex: Knex,
  options: {
    namespace: string;
    clusterUrl: string;
    environment?: 'production' | 'dev';
    rotation?: unknown;
    rotators?: (
      secretStore: LocalSecretStore,
    ) => Map<string, ClusterCredentialRotator>;
    provision?: boolean;
  },
) {
  await applyDatabaseMigrations(mockServices.database({ knex }));
  const { namespace } = options;
  let now = new Date();
  const clock = {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
  const inventory = new DatabaseInventoryStore(knex);
  const definitions = [
    { namespace, name: 'ledger', mode: 'standard' as const },
    { namespace, name: 'vault', mode: 'protected' as const },
  ];
  await inventory.applyUpdates(
    definitions.map(d => ({
      ...d,
      databaseName: `${d.namespace}-${d.name}`,
      status: 'ready' as const,
      cluster: 'local',
      pullRequests: [],
    })),
  );
  const secretStore = new LocalSecretStore({ database: knex });
  const { logger, lines } = capturingLogger();
  const url = new URL(options.clusterUrl);
  const provisioner = new PostgresProvisioner({
    cluster: 'local',
    connection: parseConnectionString(options.clusterUrl, 'test'),
    publicEndpoint: { host: url.hostname, port: Number(url.port) },
    secretStore,
    logger,
  });
  if (options.provision !== false) {
    for (const definition of definitions) {
      await provisioner.ensure(definition);
    }
  }
  const rotators =
    options.rotators?.(secretStore) ??
    new Map([['local', new LocalCredentialRotator(provisioner, secretStore)]]);

  const { access, userInfo } = testAccess(decide, [
    { namespace, owner: 'group:default/payments' },
  ]);
  const { auditor, events: audits } = recordingAuditor();
  const { notifications, sent } = recordingNotifications();
  const clusters: RotationCluster[] = [
    {
      name: 'local',
      environment: options.environment ?? 'dev',
      namespaces: [],
    },
  ];
  const makeService = () =>
    new RotationService({
      store: new CredentialRotationStore(knex),
      inventory,
      access,
      userInfo,
      events: new RotationEvents({
        auditor,
        notifications,
        tenants: ConfigTenantDirectory.fromConfig(
          new ConfigReader({
            dbaas: {
              tenants: [{ namespace, owner: 'group:default/payments' }],
            },
          }),
        ),
        logger,
      }),
      settings: readRotationSettings(
        new ConfigReader(
          options.rotation ? { dbaas: { rotation: options.rotation } } : {},
        ),
        logger,
      ),
      clusters,
      rotators,
      logger,
      now: clock.now,
    });
  const service = makeService();

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
          registerRotationRoutes(router, { httpAuth, rotation: service });
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

  /** The connection info as the plugin serves it, with rotation's usernames. */
  const databasesService = new DatabasesService(
    inventory,
    access,
    ConnectionInfoBuilder.fromConfig(new ConfigReader({})),
    [
      {
        name: 'local',
        publicEndpoint: { host: url.hostname, port: Number(url.port) },
        namespaces: [],
      },
    ],
    ConfigTenantDirectory.fromConfig(
      new ConfigReader({
        dbaas: { tenants: [{ namespace, owner: 'group:default/payments' }] },
      }),
    ),
    undefined,
    ref => service.currentUsernames(ref),
  );

  return {
    service,
    databasesService,
    /** A second replica: its own service over the same database. */
    makeService,
    call,
    server,
    clock,
    secretStore,
    provisioner,
    audits,
    sent,
    logLines: lines,
    definitions,
  };
}
