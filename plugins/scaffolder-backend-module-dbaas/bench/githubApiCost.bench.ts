/*
 * Run from plugins/scaffolder-backend-module-dbaas (with a PostgreSQL URL, as
 * scripts/bench.sh and scripts/bench-github.sh do):
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=... CI=true \
 *     npx backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/githubApiCost.bench.ts'
 *
 * GitHub API calls, counted by the fake GitHub, of:
 * - one `dbaas:database:create` as the template runs it (namespace, name,
 *   mode, Slack channel, description): its checks, the branch, commit and
 *   pull request, the labels and reviewers of a protected database; and
 *   the sync cycle it asks the backend for when done;
 * - the inventory sync at its schedule (the default, every minute, unless
 *   configured) through a simulated idle hour, nothing changing on GitHub;
 * - the first sync of a restarted backend (the inventory in PostgreSQL,
 *   nothing in memory);
 * at 10, 1,000 and 5,000 definitions in the apps repository, with 0 and 50
 * open pull requests of the suite, each against GitHub's 5,000 requests an
 * hour per token. See githubApiCost.ts for what runs and what stands in.
 *
 * The idle hour runs its first three cycles and its last two (where what
 * the sync does by the hour comes due) and counts each of the others as
 * the median regular cycle; DBAAS_BENCH_GITHUB_FULL_HOUR=1 runs all of
 * them (several minutes at 5,000 definitions: each cycle also joins and
 * writes the inventory in PostgreSQL). DBAAS_BENCH_GITHUB_SIZES (e.g.
 * "10,1000") limits the definition counts.
 *
 * It fails when a create (its checks included) takes more than 6 calls
 * (QUALITY), an idle cycle more than two requests, or the first sync with
 * nothing cached more than FIRST_SYNC_MAX_CALLS at any size (its archive
 * download, not a REST call, is reported beside it).
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  counted,
  figures,
  formatCreateTable,
  formatDetails,
  formatSyncTable,
  runScenario,
  Scenario,
  ScenarioResult,
} from './githubApiCost';

const PG_URL = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const SIZES = (process.env.DBAAS_BENCH_GITHUB_SIZES ?? '10,1000,5000')
  .split(',')
  .map(Number);
const OPEN_PULLS = [0, 50];
const FULL_HOUR = process.env.DBAAS_BENCH_GITHUB_FULL_HOUR === '1';
/**
 * The first create after the start, then two more standard ones (the row
 * gives the median, here the larger) and a protected one.
 */
const CREATES: Array<'standard' | 'protected'> = [
  'standard',
  'standard',
  'standard',
  'protected',
];

/**
 * The first sync with nothing cached: branch, tree, the pull requests' page
 * and at most 50 blobs (the default archiveThreshold); past 50 missing, one
 * `GET /tarball` instead of the blobs.
 */
const FIRST_SYNC_MAX_CALLS = 3 + 50;

jest.setTimeout(1_800_000);

function log(message: string) {
  // eslint-disable-next-line no-console
  console.log(message);
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const describeWithPg = PG_URL ? describe : describe.skip;

describeWithPg('GitHub API cost', () => {
  it('of a create, an idle sync hour and the first sync after a start', async () => {
    const results: ScenarioResult[] = [];
    for (const definitions of SIZES) {
      for (const openPulls of OPEN_PULLS) {
        const scenario: Scenario = { definitions, openPulls };
        log(`${definitions} definitions, ${openPulls} open suite PRs`);
        results.push(
          await runScenario(scenario, {
            knex: await databases.init('POSTGRES_15'),
            clusterUrl: PG_URL!,
            creates: CREATES,
            fullHour: FULL_HOUR,
            log,
          }),
        );
      }
    }
    log(
      [
        `GitHub API calls (fake GitHub), budget ${(5000).toLocaleString(
          'en-US',
        )} requests/hour per token, ${new Date().toISOString().slice(0, 10)}`,
        'Calls counted against the budget; "+n × 304": conditional requests answered 304 Not Modified, which GitHub does not count.',
        "creates/h: (5,000 - the idle sync hour) / (a later standard create + the cycle it asks for); the 500 writes/h limit: GitHub's secondary limit on content-generating requests, every POST counted.",
        '',
        formatCreateTable(results),
        '',
        formatSyncTable(results),
        '',
        formatDetails(results),
      ].join('\n'),
    );
    // Every create opened its pull request (checked in runScenario) and
    // asked for a sync; the hour's last cycle ran.
    for (const r of results) {
      expect(r.runsPerHour).toBe(Math.floor(3_600_000 / r.frequencyMs));
      expect(r.idleCycles.at(-1)?.index).toBe(r.runsPerHour);
      expect(r.creates.every(c => c.triggeredCycle)).toBe(true);
    }
    // The goals: a create (its checks included) within QUALITY's 6 calls at
    // every size, an idle cycle at most two requests.
    const missed = results.flatMap(r => {
      const f = figures(r);
      const where = `${r.definitions} definitions, ${r.openPulls} open PRs`;
      return [
        ...[f.createFirst, f.create]
          .filter(calls => counted(calls) > 6)
          .map(calls => `${where}: a create took ${counted(calls)} calls`),
        ...(f.idleCycle.length > 2
          ? [`${where}: an idle cycle took ${f.idleCycle.length} requests`]
          : []),
        ...(counted(f.firstEver) > FIRST_SYNC_MAX_CALLS
          ? [
              `${where}: the first sync with nothing cached took ${counted(
                f.firstEver,
              )} calls`,
            ]
          : []),
      ];
    });
    expect(missed).toEqual([]);
  });
});
