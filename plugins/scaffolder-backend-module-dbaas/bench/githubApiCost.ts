/*
 * The GitHub API cost of the suite on the GitHub apps repository: the
 * `dbaas:database:create` action as a user triggers it, the inventory sync
 * at its schedule, and the first sync after a start, counted by the stateful
 * fake GitHub (FakeGitHub, which speaks the REST API). Run through
 * githubApiCost.bench.ts (createMockActionContext needs jest).
 *
 * What runs is the production wiring: the dbaas backend plugin and the
 * scaffolder's dbaas module in one test backend (startTestBackend), both
 * reading `integrations.github` (apiBaseUrl = the fake) and `dbaas.gitops`
 * (provider github) from the same config, so they share one token and its
 * budget; the plugin on a real PostgreSQL. Stand-ins: the scheduler (runs
 * the inventory task when the benchmark says, with the configured
 * schedule, and records the "sync now" requests instead of running them at
 * once), the clock of the simulated hour (jest's fake Date, nothing else
 * faked), the catalog (no entities), the user's ownership (userInfo) and
 * Backstage's test tokens.
 */
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
// A benchmark (a devDependency): the action against the real backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dbaasPlugin from '@dbaas/plugin-dbaas-backend';
import {
  createDatabaseEdit,
  GitHubAppsRepository,
  suiteBranchName,
} from '@dbaas/plugin-dbaas-node';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import { AddressInfo } from 'node:net';
import scaffolderModuleDbaas from '../src';

export const OWNER = 'acme';
export const REPO = 'apps';
/** GitHub's primary rate limit for a token (user or GitHub App installation). */
export const BUDGET_PER_HOUR = 5000;
/**
 * GitHub's secondary limit on content-generating requests ("in general, no
 * more than 80 a minute and 500 an hour"); every POST, PATCH, PUT and
 * DELETE is counted as one, the strict reading.
 */
export const CONTENT_REQUESTS_PER_HOUR = 500;
const TENANTS = 100;
const CHART_VERSION = '1.0.1';
/** The user who runs the template: createMockActionContext's credentials. */
const USER = 'user:default/mock';
const USER_TENANT = 'tenant-000';
/** The dbaas backend's inventory task (scheduleInventorySync's id). */
const INVENTORY_SYNC_TASK_ID = 'dbaas-inventory-sync';

type Knex = Awaited<ReturnType<TestDatabases['init']>>;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const tenantOf = (i: number) => `tenant-${pad(i % TENANTS, 3)}`;

export interface Scenario {
  /** Databases defined on the base branch, one folder (values.yaml + application.yaml) each. */
  definitions: number;
  /** Open pull requests of the suite (create requests, one new folder each). */
  openPulls: number;
}

/** The requests of one measured step: `METHOD /path` and the answer's status. */
export type Calls = Array<{ call: string; status: number }>;

export interface CreateMeasure {
  mode: 'standard' | 'protected';
  /** The action's calls: checks, branch, commit, pull request, labels, reviewers. */
  calls: Calls;
  /** The sync cycle the action asks for when it is done ("sync now"). */
  triggeredCycle?: Calls;
}

export interface IdleCycle {
  /** 1 to runsPerHour: when in the hour it ran. */
  index: number;
  calls: Calls;
}

export interface ScenarioResult extends Scenario {
  /** The first cycle ever, on an empty inventory (seeding, reported apart). */
  firstEver: Calls;
  /**
   * Bytes of each archive download of the first cycle ever (the codeload
   * URL `GET /tarball` redirects to): not REST calls, not counted.
   */
  firstEverDownloads: number[];
  /** The first cycle of a restarted backend: same database, fresh process. */
  firstAfterStart: Calls;
  /**
   * The cycles of the simulated idle hour that ran (`index` 1 is one
   * frequency after firstAfterStart): all of them, or a sample.
   */
  idleCycles: IdleCycle[];
  /** Cycles in an hour at the task's schedule. */
  runsPerHour: number;
  /** From the task's schedule. */
  frequencyMs: number;
  creates: CreateMeasure[];
  wallMs: number;
}

/**
 * The scheduler's stand-in: keeps the tasks with their schedules, runs one
 * when asked, and records `triggerTask` (the "sync now" the action asks the
 * backend for) without running it, so that its cycle is counted apart.
 */
class BenchScheduler implements SchedulerService {
  readonly tasks = new Map<
    string,
    SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition
  >();
  readonly triggered: string[] = [];

  async scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition,
  ) {
    this.tasks.set(task.id, task);
  }

  createScheduledTaskRunner(schedule: SchedulerServiceTaskScheduleDefinition) {
    return {
      run: (task: SchedulerServiceTaskInvocationDefinition) =>
        this.scheduleTask({ ...task, ...schedule }),
    };
  }

  async triggerTask(id: string) {
    if (!this.tasks.has(id)) throw new NotFoundError(`No task ${id}`);
    this.triggered.push(id);
  }

  async cancelTask() {}

  async getScheduledTasks() {
    return [...this.tasks.keys()].map(id => ({
      id,
      scope: 'global' as const,
      settings: { version: 1 },
    }));
  }

  async run(id: string) {
    const task = this.tasks.get(id);
    if (!task) {
      throw new NotFoundError(
        `No task ${id} among ${[...this.tasks.keys()].join(', ')}`,
      );
    }
    await task.fn(new AbortController().signal);
  }

  frequencyMs(id: string): number {
    const frequency = this.tasks.get(id)?.frequency;
    if (!frequency) throw new NotFoundError(`No task ${id}`);
    if (
      typeof frequency !== 'object' ||
      'cron' in frequency ||
      'trigger' in frequency
    ) {
      throw new Error(
        `The benchmark needs the inventory frequency as a duration object, not ${JSON.stringify(
          frequency,
        )}`,
      );
    }
    if ('toMillis' in frequency) return frequency.toMillis();
    return durationToMilliseconds(frequency as HumanDuration);
  }
}

function benchConfig(fake: FakeGitHub, clusterUrl: string) {
  return {
    integrations: {
      github: [
        { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 'bench' },
      ],
    },
    dbaas: {
      gitops: {
        provider: 'github',
        repoUrl: `https://github.com/${OWNER}/${REPO}`,
        baseBranch: 'main',
        chartVersion: CHART_VERSION,
        // As app-config.yaml ships it.
        protectedDatabases: {
          labels: ['protected-database'],
          teamReviewers: ['platform'],
        },
      },
      // An Aurora cluster observed on the benchmark's PostgreSQL (which
      // holds none of the databases: ArgoCD did not create them); the
      // suite does not provision on Aurora, so the sync writes only the
      // inventory.
      clusters: [
        {
          name: 'prod',
          environment: 'production',
          provider: 'aurora',
          connection: clusterUrl,
          aurora: { region: 'eu-west-1', clusterIdentifier: 'bench' },
        },
      ],
      tenants: Array.from({ length: TENANTS }, (_, i) => ({
        namespace: tenantOf(i),
        owner: `group:default/${tenantOf(i)}`,
      })),
      secrets: { provider: 'local' },
    },
  };
}

/** values.yaml and application.yaml of a new folder, as the suite writes them. */
async function definitionFiles(
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  const edits = await createDatabaseEdit({
    basePath: '',
    namespace,
    folder: name,
    name,
    chartVersion: CHART_VERSION,
  })(async () => undefined);
  return Object.fromEntries(edits.map(e => [e.path, e.content ?? '']));
}

/** The apps repository with `definitions` databases, in one seed commit. */
async function seedDefinitions(fake: FakeGitHub, definitions: number) {
  const files: Record<string, string> = { 'README.md': '# apps\n' };
  for (let i = 0; i < definitions; i++) {
    Object.assign(files, await definitionFiles(tenantOf(i), `db-${pad(i, 4)}`));
  }
  fake.seedRepo(OWNER, REPO, { files });
}

/**
 * Open create requests, written by GitHubAppsRepository.proposeChange (the
 * action's write path) on branches named as the action names them.
 */
async function seedOpenPulls(config: ConfigReader, count: number) {
  const repo = GitHubAppsRepository.fromConfig(config);
  for (let i = 0; i < count; i++) {
    const namespace = tenantOf(i);
    const name = `requested-${pad(i, 3)}`;
    await repo.proposeChange({
      branchName: suiteBranchName('create', namespace, name),
      taskId: `seed-${i}`,
      title: `Add PostgreSQL database ${namespace}-${name}`,
      body: 'Seeded by the benchmark.',
      commitMessage: `Add PostgreSQL database ${namespace}-${name}`,
      edit: createDatabaseEdit({
        basePath: '',
        namespace,
        folder: name,
        name,
        chartVersion: CHART_VERSION,
      }),
    });
  }
}

/** The user owns tenant-000 (the catalog would say so). */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo() {
      return {
        userEntityRef: USER,
        ownershipEntityRefs: [USER, `group:default/${USER_TENANT}`],
      };
    },
  }),
});

async function startBackend(
  config: object,
  knex: Knex,
  scheduler: BenchScheduler,
) {
  const actions: TemplateAction<any, any, any>[] = [];
  const backend = await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...added: TemplateAction<any, any, any>[]) =>
            actions.push(...added),
        },
      ],
    ],
    features: [
      dbaasPlugin,
      scaffolderModuleDbaas,
      mockServices.rootConfig.factory({ data: config as any }),
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      userInfoFactory,
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const create = actions.find(a => a.id === 'dbaas:database:create');
  if (!create) throw new Error('dbaas:database:create was not registered');
  return { backend, create };
}

/** How many databases `GET /api/dbaas/databases` lists. */
async function listInventory(backend: {
  server: { address(): unknown };
}): Promise<number> {
  const { port } = backend.server.address() as AddressInfo;
  const response = await fetch(`http://localhost:${port}/api/dbaas/databases`, {
    headers: { authorization: mockCredentials.user.header(USER) },
  });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  const { items } = (await response.json()) as { items: unknown[] };
  return items.length;
}

function callsOf(fake: FakeGitHub): Calls {
  return fake.requests.map(r => ({
    call: `${r.method} ${r.path}`,
    status: r.status ?? 0,
  }));
}

/**
 * Requests that count against the primary rate limit: all but the
 * conditional ones answered 304 Not Modified, which GitHub does not count
 * when they carry the token.
 */
export function counted(calls: Calls): number {
  return calls.filter(c => c.status !== 304).length;
}

/** Requests that write (POST, PATCH, PUT, DELETE). */
export function writes(calls: Calls): number {
  return calls.filter(c => !/^(GET|HEAD) /.test(c.call)).length;
}

function notModified(calls: Calls): number {
  return calls.length - counted(calls);
}

async function measure(fake: FakeGitHub, fn: () => Promise<unknown>) {
  fake.clearRequests();
  await fn();
  const calls = callsOf(fake);
  const failed = [
    ...fake.requests.filter(r => (r.status ?? 0) >= 400),
    // An archive download that failed would hide behind blob reads.
    ...fake.downloads.filter(d => d.status !== 200),
  ];
  if (failed.some(r => r.status !== 404 && r.status !== 422)) {
    throw new Error(
      `GitHub calls failed: ${failed
        .map(r => `${r.method} ${r.path} ${r.status}`)
        .join(', ')}`,
    );
  }
  return calls;
}

/**
 * Runs `fn` with a fake Date only (timers, I/O and performance stay real),
 * starting now; `advanceTo` sets it to a time after the start.
 */
async function withFakeDate<T>(
  fn: (advanceTo: (msAfterStart: number) => void) => Promise<T>,
): Promise<T> {
  const start = Date.now();
  jest.useFakeTimers({
    now: start,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await fn(ms => jest.setSystemTime(start + ms));
  } finally {
    jest.useRealTimers();
  }
}

/**
 * The idle cycles a run measures unless it runs the whole hour: the first
 * three and the last two, where what the sync does by the hour comes due.
 */
function sampledCycles(runsPerHour: number): number[] {
  return [
    ...new Set([1, 2, 3, runsPerHour - 1, runsPerHour].filter(i => i >= 1)),
  ].sort((a, b) => a - b);
}

/**
 * The hour's calls: those of the cycles that ran, and for each cycle that
 * did not, those of the median of the regular ones that ran (not the first,
 * not the hour's last).
 */
export function idleHourCalls(
  r: Pick<ScenarioResult, 'idleCycles' | 'runsPerHour'>,
): Calls {
  const ran = r.idleCycles.flatMap(c => c.calls);
  const missing = r.runsPerHour - r.idleCycles.length;
  if (missing <= 0) return ran;
  const regular = r.idleCycles.filter(
    c => c.index !== 1 && c.index !== r.runsPerHour,
  );
  const typical = medianOf(
    (regular.length > 0 ? regular : r.idleCycles).map(c => c.calls),
  );
  return [...ran, ...Array.from({ length: missing }, () => typical).flat()];
}

export async function runScenario(
  scenario: Scenario,
  options: {
    knex: Knex;
    clusterUrl: string;
    creates: Array<'standard' | 'protected'>;
    /** Run every cycle of the idle hour rather than a sample. */
    fullHour: boolean;
    log: (message: string) => void;
  },
): Promise<ScenarioResult> {
  const started = performance.now();
  const { knex } = options;
  const log = (message: string) =>
    options.log(
      `${message} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  const fake = await FakeGitHub.start();
  const config = benchConfig(fake, options.clusterUrl);
  const stops: Array<() => Promise<void>> = [() => fake.stop()];
  try {
    await seedDefinitions(fake, scenario.definitions);
    await seedOpenPulls(new ConfigReader(config), scenario.openPulls);
    log(
      `  seeded ${scenario.definitions} definitions, ${scenario.openPulls} open pull requests`,
    );

    // A first backend fills the inventory, then stops.
    const first = new BenchScheduler();
    const one = await startBackend(config, knex, first);
    stops.unshift(() => one.backend.stop());
    const firstEver = await measure(fake, () =>
      first.run(INVENTORY_SYNC_TASK_ID),
    );
    const firstEverDownloads = fake.downloads.map(d => d.bytes ?? 0);
    const inventory = await listInventory(one.backend);
    const expected = scenario.definitions + scenario.openPulls;
    if (inventory !== expected) {
      throw new Error(
        `The first sync left ${inventory} databases in the inventory, not ${expected}`,
      );
    }
    await one.backend.stop();
    stops.shift();
    log(
      `  first sync ever: ${counted(firstEver)} calls, ${fmtDownloads(
        firstEverDownloads,
      )}`,
    );

    // The restart: same database, a fresh process (no in-memory state).
    const scheduler = new BenchScheduler();
    const two = await startBackend(config, knex, scheduler);
    stops.unshift(() => two.backend.stop());
    const firstAfterStart = await measure(fake, () =>
      scheduler.run(INVENTORY_SYNC_TASK_ID),
    );

    // An idle hour at the task's schedule: nothing changes on GitHub. The
    // clock moves a frequency per cycle, so what the sync does by the
    // hour (e.g. a full re-read) comes due at the hour's last cycle.
    const frequencyMs = scheduler.frequencyMs(INVENTORY_SYNC_TASK_ID);
    const runsPerHour = Math.floor(3_600_000 / frequencyMs);
    const indexes = options.fullHour
      ? Array.from({ length: runsPerHour }, (_, i) => i + 1)
      : sampledCycles(runsPerHour);
    const idleCycles = await withFakeDate(async advanceTo => {
      const cycles: IdleCycle[] = [];
      for (const index of indexes) {
        advanceTo(index * frequencyMs);
        cycles.push({
          index,
          calls: await measure(fake, () =>
            scheduler.run(INVENTORY_SYNC_TASK_ID),
          ),
        });
      }
      return cycles;
    });
    const hour = idleHourCalls({ idleCycles, runsPerHour });
    log(
      `  first sync after a start ${counted(
        firstAfterStart,
      )} calls, idle hour ${counted(hour)} calls (${
        idleCycles.length
      } of ${runsPerHour} cycles run)`,
    );

    // Creates as the template runs them, one after the other.
    const creates: CreateMeasure[] = [];
    for (const [i, mode] of options.creates.entries()) {
      const name = `bench-${mode}-${i}`;
      const openBefore = fake.listPulls(OWNER, REPO, { state: 'open' }).length;
      const ctx = createMockActionContext({
        input: {
          namespace: USER_TENANT,
          name,
          mode,
          slackChannel: 'team-000',
          description: 'Benchmark database',
        },
        task: { id: `bench-task-${i}` },
      });
      const triggeredBefore = scheduler.triggered.length;
      const calls = await measure(fake, () =>
        two.create.handler({ ...ctx, user: { ref: USER } } as any),
      );
      const open = fake.listPulls(OWNER, REPO, { state: 'open' });
      if (open.length !== openBefore + 1) {
        throw new Error(`The create of ${name} opened no pull request`);
      }
      let triggeredCycle: Calls | undefined;
      if (scheduler.triggered.length > triggeredBefore) {
        triggeredCycle = await measure(fake, () =>
          scheduler.run(INVENTORY_SYNC_TASK_ID),
        );
      }
      creates.push({ mode, calls, triggeredCycle });
    }
    log(`  creates: ${creates.map(c => counted(c.calls)).join(', ')} calls`);
    return {
      ...scenario,
      firstEver,
      firstEverDownloads,
      firstAfterStart,
      idleCycles,
      runsPerHour,
      frequencyMs,
      creates,
      wallMs: performance.now() - started,
    };
  } finally {
    for (const stop of stops) await stop();
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (n: number) =>
  `${(Math.round((n / BUDGET_PER_HOUR) * 1000) / 10).toLocaleString(
    'en-US',
  )} %`;

/** Counted calls, and the 304s beside them when there are any. */
function fmtCalls(calls: Calls): string {
  const free = notModified(calls);
  return free > 0
    ? `${fmt(counted(calls))} (+${fmt(free)} × 304)`
    : fmt(counted(calls));
}

/** Archive downloads: how many and their size (not REST calls). */
function fmtDownloads(bytes: number[]): string {
  if (!bytes.length) return 'no archive download';
  const kib = Math.ceil(bytes.reduce((sum, b) => sum + b, 0) / 1024);
  return `${bytes.length} archive download${bytes.length > 1 ? 's' : ''} (${fmt(
    kib,
  )} KiB, not counted)`;
}

/** The measure whose counted calls are the median of `measures`. */
function medianOf(measures: Calls[]): Calls {
  const sorted = [...measures].sort((a, b) => counted(a) - counted(b));
  return sorted[Math.floor(sorted.length / 2)] ?? [];
}

/** The figures of one row, from a scenario's measures. */
export function figures(r: ScenarioResult) {
  // The first create after a start reads what later ones find in their
  // caches: it gets its own column.
  const [first, ...later] = r.creates;
  const laterStandard = later.filter(c => c.mode === 'standard');
  const create = medianOf(laterStandard.map(c => c.calls));
  const createProtected = medianOf(
    later.filter(c => c.mode === 'protected').map(c => c.calls),
  );
  const triggered = medianOf(laterStandard.map(c => c.triggeredCycle ?? []));
  const idleHour = idleHourCalls(r);
  const left = Math.max(0, BUDGET_PER_HOUR - counted(idleHour));
  return {
    createFirst: first.calls,
    create,
    createProtected,
    triggered,
    idleCycle: medianOf(r.idleCycles.map(c => c.calls)),
    idleHour,
    runsPerHour: r.runsPerHour,
    cyclesRun: r.idleCycles.length,
    firstAfterStart: r.firstAfterStart,
    firstEver: r.firstEver,
    createsPerHour: Math.floor(
      left / Math.max(1, counted(create) + counted(triggered)),
    ),
    createsPerHourByContentLimit: Math.floor(
      CONTENT_REQUESTS_PER_HOUR / Math.max(1, writes(create)),
    ),
  };
}

function markdownTable(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows]
    .map(cells => `| ${cells.join(' | ')} |`)
    .join('\n');
}

/** The creates, and how many an hour the budget leaves room for. */
export function formatCreateTable(results: ScenarioResult[]): string {
  return markdownTable(
    [
      'definitions',
      'open suite PRs',
      'first create after a start',
      'later create, standard',
      'later create, protected',
      'sync cycle a create asks for',
      'creates/h the budget allows beside the idle sync',
      'writes in a later standard create',
      'creates/h the 500 writes/h limit allows',
    ],
    results.map(r => {
      const f = figures(r);
      return [
        fmt(r.definitions),
        fmt(r.openPulls),
        fmtCalls(f.createFirst),
        fmtCalls(f.create),
        fmtCalls(f.createProtected),
        fmtCalls(f.triggered),
        fmt(f.createsPerHour),
        fmt(writes(f.create)),
        fmt(f.createsPerHourByContentLimit),
      ];
    }),
  );
}

/** The sync: idle, after a restart, and with nothing cached. */
export function formatSyncTable(results: ScenarioResult[]): string {
  return markdownTable(
    [
      'definitions',
      'open suite PRs',
      'idle sync cycle',
      'idle sync hour',
      'share of 5,000/h',
      'first sync after a restart',
      'share',
      'first sync, nothing cached',
      'share',
    ],
    results.map(r => {
      const f = figures(r);
      return [
        fmt(r.definitions),
        fmt(r.openPulls),
        fmtCalls(f.idleCycle),
        `${fmtCalls(f.idleHour)} (${f.runsPerHour} cycles${
          f.cyclesRun < f.runsPerHour ? `, ${f.cyclesRun} run` : ''
        })`,
        pct(counted(f.idleHour)),
        fmtCalls(f.firstAfterStart),
        pct(counted(f.firstAfterStart)),
        `${fmtCalls(f.firstEver)}${
          r.firstEverDownloads.length
            ? ` + ${fmtDownloads(r.firstEverDownloads)}`
            : ''
        }`,
        pct(counted(f.firstEver)),
      ];
    }),
  );
}

/** `METHOD /path` with shas, numbers and file paths folded, counted. */
export function summarize(calls: Calls): string {
  const counts = new Map<string, number>();
  for (const { call, status } of calls) {
    const key = `${call
      .replace(/\/[0-9a-f]{40}/g, '/{sha}')
      .replace(/\/pulls\/\d+/g, '/pulls/{n}')
      .replace(/\/issues\/\d+/g, '/issues/{n}')
      .replace(/\/(branches|git\/ref|git\/refs\/heads)\/.+$/, '/$1/{branch}')
      .replace(/\/contents\/.+$/, '/contents/{path}')
      .replace(/^(\w+) \/repos\/[^/]+\/[^/]+/, '$1 ')}${
      status === 304 ? ' (304)' : ''
    }`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, n]) => (n > 1 ? `${n} × ${key}` : key))
    .join(', ');
}

export function formatDetails(results: ScenarioResult[]): string {
  return results
    .map(r => {
      const lines = [
        `${fmt(r.definitions)} definitions, ${r.openPulls} open suite PRs (${(
          r.wallMs / 1000
        ).toFixed(1)} s)`,
        `  first sync ever: ${fmtCalls(r.firstEver)}: ${summarize(
          r.firstEver,
        )}; ${fmtDownloads(r.firstEverDownloads)}`,
        `  first sync after a start: ${summarize(r.firstAfterStart)}`,
        `  idle cycles (one every ${r.frequencyMs / 1000} s, ${
          r.idleCycles.length
        } of ${r.runsPerHour} run), counted calls by cycle: ${r.idleCycles
          .map(c => `#${c.index}: ${counted(c.calls)}`)
          .join(', ')}`,
        `  median idle cycle: ${summarize(
          medianOf(r.idleCycles.map(c => c.calls)),
        )}`,
        ...r.creates.map(
          (c, i) =>
            `  create ${i + 1} (${c.mode}): ${fmtCalls(c.calls)}: ${summarize(
              c.calls,
            )}; the cycle it asks for: ${
              c.triggeredCycle
                ? `${fmtCalls(c.triggeredCycle)}: ${summarize(
                    c.triggeredCycle,
                  )}`
                : 'none asked'
            }`,
        ),
      ];
      return lines.join('\n');
    })
    .join('\n');
}
