import {
  AuditorService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ClusterSettings,
  ConfigTenantDirectory,
  dbaasDatabaseRules,
  dbaasTenantRules,
} from '@dbaas/plugin-dbaas-node';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { DatabaseAccess } from '../../access/DatabaseAccess';
import { DatabaseInventoryStore } from '../../inventory/DatabaseInventoryStore';
import { applyDatabaseMigrations } from '../../database/migrations';
import { RestoreDeciders } from '../RestoreDeciders';
import { RestoreEvents } from '../RestoreEvents';
import { RestoresService } from '../RestoresService';
import {
  ClusterDatabaseLookup,
  RestoreTargetPlanner,
} from '../RestoreTargetPlanner';
import { DatabaseRestoreStore } from '../store/DatabaseRestoreStore';
import { RestoreExecutor } from '../workflow/RestoreExecutor';
import { FakeSnapshotCatalog } from './FakeSnapshotCatalog';
import { RecordingEngine } from './RecordingEngine';

export interface AuditRecord {
  eventId: string;
  severityLevel?: string;
  meta?: Record<string, unknown>;
  outcome?: 'success' | 'fail';
  error?: string;
}

/** An auditor that keeps every event with its outcome. */
export function recordingAuditor() {
  const events: AuditRecord[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: AuditRecord = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta as Record<string, unknown>,
      };
      events.push(event);
      return {
        async success(params) {
          event.outcome = 'success';
          event.meta = { ...event.meta, ...(params?.meta as object) };
        },
        async fail(params) {
          event.outcome = 'fail';
          event.error = String(params.error?.message ?? params.error);
        },
      };
    },
  };
  return { auditor, events };
}

/** Notifications kept in memory: who was told what. */
export function recordingNotifications() {
  const sent: Array<{ recipients: string[]; title: string }> = [];
  /** The whole payload of each notification, in the order sent. */
  const payloads: Array<Record<string, unknown>> = [];
  const notifications = {
    async send(options: any) {
      sent.push({
        recipients: options.recipients.entityRef,
        title: options.payload.title,
      });
      payloads.push(options.payload);
    },
  } as unknown as NotificationService;
  return { notifications, sent, payloads };
}

export const users = {
  alice: 'user:default/alice', // payments owner, the usual requester
  bob: 'user:default/bob', // approver (sre)
  carol: 'user:default/carol', // approver (sre)
  dave: 'user:default/dave', // approve permission, not in the approvers group
  mallory: 'user:default/mallory', // nobody
};

const groupsOf: Record<string, string[]> = {
  [users.alice]: ['group:default/payments'],
  [users.bob]: ['group:default/sre'],
  [users.carol]: ['group:default/sre'],
  [users.dave]: ['group:default/dba'],
  [users.mallory]: [],
};

export const as = (user: string): BackstageCredentials =>
  mockCredentials.user(user);

export const testCluster = {
  name: 'eu',
  environment: 'production',
  provider: 'local',
  connection: {
    host: '127.0.0.1',
    port: 1,
    user: 'never-used',
    database: 'postgres',
    ssl: false,
  },
  publicEndpoint: { host: '127.0.0.1', port: 1 },
  namespaces: [],
  capacity: 1,
} as ClusterSettings;

/**
 * Database access decided per user and permission name by `decide`, with
 * the plugin's real rules and these tenants, and users' groups as in
 * {@link users}.
 */
export function testAccess(
  decide: (permission: string, user: string) => AuthorizeResult,
  tenants: Array<{ namespace: string; owner: string }>,
) {
  const answer = (requests: any[], credentials: BackstageCredentials) =>
    requests.map(r => ({
      result: decide(
        r.permission.name,
        (credentials.principal as any).userEntityRef,
      ),
    })) as PolicyDecision[] as any;
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: any[], o: any) =>
      answer(requests, o.credentials),
    authorizeConditional: async (requests: any[], o: any) =>
      answer(requests, o.credentials),
  });
  const access = DatabaseAccess.register({
    permissions,
    permissionsRegistry: mockServices.permissionsRegistry.mock({
      // The plugin's real rules, so conditional decisions work as in a backend.
      getPermissionRuleset: (() => ({
        getRuleByName: (name: string) =>
          [
            ...Object.values(dbaasDatabaseRules),
            ...Object.values(dbaasTenantRules),
          ].find(rule => rule.name === name),
      })) as any,
    }),
    tenants: ConfigTenantDirectory.fromConfig(
      new ConfigReader({ dbaas: { tenants } }),
    ),
  });
  const userInfo: UserInfoService = {
    async getUserInfo(credentials) {
      const ref = (credentials.principal as any).userEntityRef as string;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groupsOf[ref] ?? [])],
      };
    },
  };
  return { access, userInfo };
}

/**
 * The restore flow on a real PostgreSQL store, with a clock the test
 * moves, a policy that decides per user and permission name, and in-memory
 * snapshots, cluster lookups and engine.
 */
export async function createRestoreTestbed(
  knex: Knex,
  options: {
    /** Default: everyone holds every permission (a lenient policy). */
    decide?: (permission: string, user: string) => AuthorizeResult;
    approvers?: string[];
  } = {},
) {
  await applyDatabaseMigrations(mockServices.database({ knex }));

  let now = new Date('2026-11-26T10:00:00.000Z');
  const clock = {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };

  const inventory = new DatabaseInventoryStore(knex);
  await inventory.applyUpdates(
    [
      { namespace: 'payments', name: 'ledger', mode: 'standard' },
      { namespace: 'payments', name: 'vault', mode: 'protected' },
      {
        namespace: 'payments',
        name: 'drafts',
        mode: 'standard',
        status: 'requested',
      },
      { namespace: 'checkout', name: 'orders', mode: 'standard' },
    ].map(d => ({
      namespace: d.namespace,
      name: d.name,
      databaseName: `${d.namespace}-${d.name}`,
      mode: d.mode as 'standard' | 'protected',
      status: (d.status ?? 'ready') as 'ready',
      cluster: 'eu',
      pullRequests: [],
    })),
  );

  const { access, userInfo } = testAccess(
    options.decide ?? (() => AuthorizeResult.ALLOW),
    [
      { namespace: 'payments', owner: 'group:default/payments' },
      { namespace: 'checkout', owner: 'group:default/checkout' },
    ],
  );

  const { auditor, events: audits } = recordingAuditor();
  const { notifications, sent, payloads } = recordingNotifications();
  const approvers = options.approvers ?? [];
  const events = new RestoreEvents({
    auditor,
    notifications,
    logger: mockServices.logger.mock(),
    approverGroups: approvers,
  });
  const snapshots = new FakeSnapshotCatalog(clock.now);
  snapshots.add('payments-ledger', { id: 'ledger-1' });
  snapshots.add('payments-ledger', {
    id: 'ledger-old',
    createdAt: '2026-11-01T02:00:00.000Z',
    expiresAt: '2026-11-08T02:00:00.000Z',
  });
  snapshots.add('payments-vault', { id: 'vault-1' });
  snapshots.add('checkout-orders', { id: 'orders-1' });

  const inCluster = new Set<string>();
  const clusterDatabases: ClusterDatabaseLookup = {
    async exists(_cluster, name) {
      return inCluster.has(name);
    },
  };
  const store = new DatabaseRestoreStore(knex);
  const requests = new RestoresService({
    store,
    inventory,
    clusters: [testCluster],
    snapshots,
    access,
    deciders: new RestoreDeciders(access, userInfo, approvers),
    planner: new RestoreTargetPlanner(inventory, clusterDatabases),
    events,
    requestTtlMs: 24 * 3_600_000,
    logger: mockServices.logger.mock(),
    now: clock.now,
  });

  const engine = new RecordingEngine();
  const executor = (owner: string) =>
    new RestoreExecutor({
      store,
      engines: { logical: engine },
      clusters: [testCluster],
      events,
      logger: mockServices.logger.mock(),
      leaseMs: 120_000,
      keepSafetyCopyForMs: 7 * 24 * 3_600_000,
      owner,
      now: clock.now,
      heartbeatMs: 60_000,
    });

  return {
    knex,
    clock,
    store,
    requests,
    executor,
    engine,
    snapshots,
    inCluster,
    audits,
    sent,
    payloads,
  };
}
