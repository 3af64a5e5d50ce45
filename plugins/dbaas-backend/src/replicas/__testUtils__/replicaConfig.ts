import { Client } from 'pg';

/**
 * The nine scheduled tasks with the schedule the two-replica test gives
 * them (`dbaas.<key>.schedule`): periods of seconds, so that a handful of
 * cycles pass in half a minute. The restore task's second is also how
 * often each replica looks for due global tasks (Backstage polls at the
 * shortest period of a plugin's tasks, at most every 5 s), which keeps the
 * others' start times within about a second of their cycles.
 */
export const TASK_SCHEDULES = {
  'dbaas-metrics-sampling': { key: 'metrics', frequencyMs: 4_000 },
  'dbaas-billing': { key: 'billing', frequencyMs: 4_000 },
  'dbaas-inventory-sync': { key: 'inventory', frequencyMs: 5_000 },
  'dbaas-snapshots': { key: 'snapshots', frequencyMs: 6_000 },
  'dbaas-restore-worker': { key: 'restore', frequencyMs: 1_000 },
  'dbaas-recovery-objectives': { key: 'objectives', frequencyMs: 5_000 },
  'dbaas-access-expiry': { key: 'access', frequencyMs: 5_000 },
  'dbaas-credential-rotation': { key: 'rotation', frequencyMs: 6_000 },
  'dbaas-restored-copies': { key: 'copies', frequencyMs: 4_000 },
} as const;

export type TaskId = keyof typeof TASK_SCHEDULES;

/** How long a lost replica's restore lease lasts (`dbaas.restore.leaseDuration`). */
export const LEASE_MS = 3_000;

export interface ReplicaSetup {
  /** The test PostgreSQL: Backstage's database server and the cluster. */
  clusterUrl: string;
  /** `backend.database.prefix`: both replicas share `<prefix>dbaas`. */
  databasePrefix: string;
  appsRepoPath: string;
  snapshotDirectory: string;
  restoreWorkDirectory: string;
  tenant: string;
  /** pg_dump and pg_restore, when the test run names them. */
  pgBin?: string;
}

function schedule(frequencyMs: number, timeout: object) {
  return { frequency: { seconds: frequencyMs / 1000 }, timeout };
}

/**
 * The app-config of one replica (JSON, which is YAML): the plugin on the
 * local provider with the local apps repository and secret store, like
 * the embedded default, every task on a short schedule, and debug lines
 * from the plugin only (the task-run lines; see withTaskRunLog).
 */
export function replicaConfig(
  setup: ReplicaSetup,
  replica: { name: string; port: number },
): object {
  const url = new URL(setup.clusterUrl);
  const tasks = Object.fromEntries(
    Object.values(TASK_SCHEDULES).map(({ key, frequencyMs }) => [
      key,
      {
        // A restore tick only starts drives: a short timeout frees the
        // task soon when the replica holding it dies (see architecture.md).
        schedule: schedule(
          frequencyMs,
          key === 'restore' ? { seconds: 10 } : { minutes: 1 },
        ),
      },
    ]),
  );
  const pgBin = setup.pgBin ? { binDirectory: setup.pgBin } : {};
  return {
    backend: {
      baseUrl: `http://127.0.0.1:${replica.port}`,
      listen: { host: '127.0.0.1', port: replica.port },
      database: {
        client: 'pg',
        connection: setup.clusterUrl,
        prefix: setup.databasePrefix,
      },
      logger: {
        meta: { replica: replica.name },
        overrides: [{ matchers: { plugin: 'dbaas' }, level: 'debug' }],
      },
    },
    dbaas: {
      gitops: { provider: 'local', local: { path: setup.appsRepoPath } },
      clusters: [
        {
          name: 'local',
          environment: 'dev',
          provider: 'local',
          connection: setup.clusterUrl,
          publicEndpoint: { host: url.hostname, port: Number(url.port) },
        },
      ],
      tenants: [{ namespace: setup.tenant, owner: 'group:default/team' }],
      secrets: { provider: 'local' },
      inventory: tasks.inventory,
      metrics: tasks.metrics,
      billing: tasks.billing,
      snapshots: {
        ...tasks.snapshots,
        local: { directory: setup.snapshotDirectory, ...pgBin },
      },
      objectives: tasks.objectives,
      access: tasks.access,
      rotation: tasks.rotation,
      // Not registered: a drill of the ledger, whose index sleeps per row
      // for test (c), would keep the test server busy for minutes. Two
      // drill cycles at once are tested in drills/DrillCycle.test.ts.
      drills: { enabled: false },
      restore: {
        ...tasks.restore,
        // dbaas.restore.copies.schedule
        copies: tasks.copies,
        ...pgBin,
        leaseDuration: { seconds: LEASE_MS / 1000 },
        // Test (c) is about a lease taken over mid-restore; stopping for a
        // preview and a finalize is tested in RestoreFinalizations.test.ts.
        finalize: { standard: { required: false } },
        parallelJobs: 1,
        workDirectory: setup.restoreWorkDirectory,
      },
    },
  };
}

/**
 * Drops what the test made on the server: the replicas' shared plugin
 * database, and the tenant's databases (restored, scratch and safety
 * copies included) and roles.
 */
export async function dropReplicaDatabases(setup: ReplicaSetup) {
  const admin = new Client({ connectionString: setup.clusterUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database
        WHERE starts_with(datname, $1) OR starts_with(datname, $2)`,
      [setup.databasePrefix, `${setup.tenant}-`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const roles = await admin.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`,
      [`${setup.tenant}-`],
    );
    for (const { rolname } of roles.rows) {
      await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
    }
  } finally {
    await admin.end();
  }
}
