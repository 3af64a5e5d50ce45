/*
 * How fast the Database tab of a production build renders in headless
 * Chromium on loopback (scripts/bench.sh builds the app, starts the backend
 * alone, which serves the build, on a temporary embedded default).
 *
 * Two figures, median of several runs after one warm-up, each measurement
 * in a browser context of its own (an empty cache, as for a first visit)
 * with the HTTP cache disabled for what is timed, so that no script and no
 * API response comes from a cache:
 * - navigation: load the entity's Database tab URL, until the status is
 *   on screen (the whole app fetched and booted);
 * - click: on the entity's Overview, once it has loaded (its status card
 *   included, which loads the plugin's lazy chunk: the tab's code is the
 *   same chunk), click "Database" until the tab's status is on screen, and
 *   until the tab's six API calls have answered. Every request made
 *   meanwhile goes to the server; the script counts them, and the scripts
 *   and cache hits among them.
 */
import {
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from 'playwright-core';
import { launchChromium } from './launchChromium.ts';

const BASE_URL = process.env.DBAAS_BENCH_URL ?? 'http://localhost:7007';
const ENTITY = '/catalog/default/resource/payments-ledger';
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Requests seen on a page while recording, with where their answers came from. */
class NetworkLog {
  recording = false;
  api = 0;
  scripts: string[] = [];
  fromCache = 0;
  total = 0;

  static async attach(
    page: Page,
  ): Promise<{ log: NetworkLog; cdp: CDPSession }> {
    const log = new NetworkLog();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestServedFromCache', () => {
      if (log.recording) log.fromCache += 1;
    });
    cdp.on('Network.responseReceived', event => {
      if (!log.recording) return;
      const { response, type } = event;
      log.total += 1;
      if (
        response.fromDiskCache ||
        response.fromPrefetchCache ||
        response.fromServiceWorker ||
        response.status === 304
      ) {
        log.fromCache += 1;
      }
      const path = new URL(response.url).pathname;
      if (path.startsWith('/api/')) log.api += 1;
      if (type === 'Script') log.scripts.push(path.split('/').pop() ?? path);
    });
    return { log, cdp };
  }
}

async function signedInPage(browser: Browser): Promise<{
  context: BrowserContext;
  page: Page;
}> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/`);
  await page
    .getByRole('button', { name: 'Sign in as Guest Developer' })
    .click();
  await page.getByRole('link', { name: 'Catalog' }).first().waitFor();
  return { context, page };
}

async function waitForEntity(page: Page) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    await page.goto(`${BASE_URL}${ENTITY}/database`);
    try {
      await page.getByTestId('dbaas-status').waitFor({ timeout: 5000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
    }
  }
}

/** Loads the tab's URL with the cache disabled; ms until the status shows. */
async function navigation(browser: Browser): Promise<number> {
  const { context, page } = await signedInPage(browser);
  try {
    const { cdp } = await NetworkLog.attach(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const start = Date.now();
    await page.goto(`${BASE_URL}${ENTITY}/database`);
    await page.getByTestId('dbaas-status').waitFor();
    return Date.now() - start;
  } finally {
    await context.close();
  }
}

/** The tab's six API calls, as paths under /api/dbaas (query aside). */
const TAB_CALLS = [
  '/databases/payments/ledger',
  '/databases/payments/ledger/connection',
  '/databases/payments/ledger/metrics',
  '/billing/payments',
  '/databases/payments/ledger/snapshots',
  '/restores',
];

/**
 * Clicks the tab on the loaded Overview, cache disabled: ms until the tab's
 * status shows, ms until its six API calls have answered, and the requests.
 */
async function click(
  browser: Browser,
): Promise<{ status: number; data: number; log: NetworkLog }> {
  const { context, page } = await signedInPage(browser);
  try {
    await page.goto(`${BASE_URL}${ENTITY}`);
    // The entity page's tabs are links in the new frontend system.
    const tab = page
      .getByRole('tab', { name: 'Database', exact: true })
      .or(page.getByRole('link', { name: 'Database', exact: true }));
    await tab.waitFor();
    // The Overview's status card (the plugin's chunk) and its other requests.
    await page.getByTestId('dbaas-status').waitFor();
    await page
      .waitForLoadState('networkidle', { timeout: 15_000 })
      .catch(() => undefined);
    const { log, cdp } = await NetworkLog.attach(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const answered = Promise.all(
      TAB_CALLS.map(path =>
        page.waitForResponse(
          response =>
            new URL(response.url()).pathname === `/api/dbaas${path}` &&
            response.request().method() === 'GET',
        ),
      ),
    );
    log.recording = true;
    const start = Date.now();
    await tab.click();
    // A card only the tab has: the tab's view, status included, is there.
    await page.getByText('Cost this month', { exact: true }).waitFor();
    await page.getByTestId('dbaas-status').waitFor();
    const status = Date.now() - start;
    await answered;
    const data = Date.now() - start;
    log.recording = false;
    return { status, data, log };
  } finally {
    await context.close();
  }
}

async function main() {
  const browser = await launchChromium();
  const navigations: number[] = [];
  const clicks: number[] = [];
  const clickData: number[] = [];
  const clickLogs: NetworkLog[] = [];
  try {
    // Warm-up: wait until the inventory sync and the catalog show the
    // entity, and let the backend's first requests (JIT, pools) pass.
    const warm = await signedInPage(browser);
    await waitForEntity(warm.page);
    await warm.context.close();
    await navigation(browser);
    await click(browser);

    for (let run = 0; run < RUNS; run++) {
      navigations.push(await navigation(browser));
      const clicked = await click(browser);
      clicks.push(clicked.status);
      clickData.push(clicked.data);
      clickLogs.push(clicked.log);
    }
  } finally {
    await browser.close();
  }
  const scripts = [...new Set(clickLogs.flatMap(l => l.scripts))];
  console.log(
    [
      `Database tab of a production build, headless Chromium, loopback, a fresh browser context per measurement, HTTP cache disabled for it, median of ${RUNS} runs:`,
      `| measure | median | all runs, ms |`,
      `|---|---|---|`,
      `| load the tab's URL until the status shows | ${median(
        navigations,
      )} ms | ${navigations.join(', ')} |`,
      `| click the tab on the loaded Overview until the status shows | ${median(
        clicks,
      )} ms | ${clicks.join(', ')} |`,
      `| the same click until the tab's ${
        TAB_CALLS.length
      } API calls have answered | ${median(clickData)} ms | ${clickData.join(
        ', ',
      )} |`,
      '',
      `During each click: ${clickLogs
        .map(l => `${l.total} requests (${l.api} API)`)
        .join(', ')}; from a cache: ${clickLogs
        .map(l => l.fromCache)
        .join(', ')}; scripts fetched: ${
        scripts.length > 0
          ? scripts.join(', ')
          : 'none (the Overview had already loaded the plugin’s chunk)'
      }.`,
    ].join('\n'),
  );
  if (median(clicks) > 1000) {
    console.error('The tab took more than 1 s to render');
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
