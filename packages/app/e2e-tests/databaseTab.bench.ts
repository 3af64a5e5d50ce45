/*
 * How fast the Database tab of a production build renders in headless
 * Chromium on loopback (scripts/bench.sh builds the app, starts the backend
 * alone, which serves the build, on a temporary embedded default).
 *
 * Two figures, median of several runs after one warm-up:
 * - navigation: load the entity page URL, until the status is on screen;
 * - tab switch: from the entity's Overview, click "Database", until the
 *   status is on screen (the plugin's code is a lazy chunk, loaded then).
 */
import { chromium } from 'playwright-core';

const BASE_URL = process.env.DBAAS_BENCH_URL ?? 'http://localhost:7007';
const ENTITY = '/catalog/default/resource/payments-ledger';
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function waitForEntity(page: import('playwright-core').Page) {
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

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.DBAAS_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const navigation: number[] = [];
  const tabSwitch: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      // A new context each run: nothing cached, as for a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${BASE_URL}/`);
      await page
        .getByRole('button', { name: 'Sign in as Guest Developer' })
        .click();
      await page.getByRole('link', { name: 'Catalog' }).first().waitFor();

      if (run === 0) {
        // Warm-up: wait until the inventory sync and the catalog show it.
        await waitForEntity(page);
      }
      let start = Date.now();
      await page.goto(`${BASE_URL}${ENTITY}/database`);
      await page.getByTestId('dbaas-status').waitFor();
      const navigated = Date.now() - start;

      await page.goto(`${BASE_URL}${ENTITY}`);
      // The entity page's tabs are links in the new frontend system.
      const tab = page
        .getByRole('tab', { name: 'Database', exact: true })
        .or(page.getByRole('link', { name: 'Database', exact: true }));
      await tab.waitFor();
      start = Date.now();
      await tab.click();
      await page.getByTestId('dbaas-status').waitFor();
      const switched = Date.now() - start;
      await context.close();
      if (run > 0) {
        navigation.push(navigated);
        tabSwitch.push(switched);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(
    [
      `Database tab of a production build, headless Chromium, loopback, median of ${RUNS} runs:`,
      `| measure | median | all runs, ms |`,
      `|---|---|---|`,
      `| load the tab's URL until the status shows | ${median(
        navigation,
      )} ms | ${navigation.join(', ')} |`,
      `| click the tab until the status shows | ${median(
        tabSwitch,
      )} ms | ${tabSwitch.join(', ')} |`,
    ].join('\n'),
  );
  if (median(tabSwitch) > 1000) {
    console.error('The tab took more than 1 s to render');
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
