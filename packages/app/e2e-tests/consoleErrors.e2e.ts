/*
 * Every page of the suite, as the guest (a developer) and as Pat (platform),
 * in a real browser against the portal on the embedded default: Home, the
 * Databases page and its Approvals and Billing tabs, the request template
 * and the Database tab of a database this test requests for itself. Fails
 * on any console error, uncaught page error or React warning (keys above
 * all), and prints every one of them with the page it came from.
 *
 * It also runs the copyable command the Connection card gives for the
 * password (the local secret store on the embedded default) and checks it
 * prints the role's real password.
 *
 * Run by scripts/test.sh (scripts/lib/e2e.sh) with Node's test runner:
 *   node --experimental-strip-types --test packages/app/e2e-tests/consoleErrors.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { launchChromium } from './launchChromium.ts';
import {
  BASE_URL,
  required,
  storedPassword,
  requestDatabase,
  untilReady,
} from './portal.ts';

const dataDir = required('DBAAS_E2E_DATA_DIR');
const pgBaseDir = required('DBAAS_E2E_PG_BASE_DIR');
const pgBin = required('DBAAS_TEST_PG_BIN');
const screenshots =
  process.env.DBAAS_E2E_SCREENSHOTS ?? join(dataDir, 'screenshots');

type Who = 'Guest Developer' | 'Pat (platform)';

/** What the browser complained about, and on which page. */
interface Problem {
  who: Who;
  page: string;
  kind: string;
  text: string;
}

/**
 * React's development warnings go to console.error, except a few that go
 * to console.warn; keys are the ones this test exists for.
 */
const REACT_WARNING =
  /unique "key" prop|Encountered two children with the same key|Warning: /;

/**
 * React 18's deprecation notices raised inside Material UI v4 and
 * material-table (through @backstage/core-components), not by this suite's
 * code: the dev server prints them on every page of any Backstage app.
 */
const LIBRARY_DEPRECATION =
  /findDOMNode is deprecated|Support for defaultProps will be removed/;

/**
 * The browser's own line for a failed request names no URL; the responses
 * are checked instead (see session), server errors failing the test.
 */
const FAILED_RESOURCE = /^Failed to load resource: /;

/** A session signed in as `who` that records every problem it sees. */
async function session(browser: Browser, who: Who, problems: Problem[]) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  const page = await context.newPage();
  const where = () => new URL(page.url()).pathname;
  page.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    if (LIBRARY_DEPRECATION.test(text) || FAILED_RESOURCE.test(text)) {
      return;
    }
    if (
      message.type() === 'error' ||
      (message.type() === 'warning' && REACT_WARNING.test(text))
    ) {
      problems.push({ who, page: where(), kind: message.type(), text });
    }
  });
  page.on('response', response => {
    const status = response.status();
    // Server errors only: 4xx answers (a 404 for what does not exist yet,
    // the auth refresh's 401 before signing in) are the pages' to handle.
    if (status >= 500) {
      problems.push({
        who,
        page: where(),
        kind: `HTTP ${status}`,
        text: `${response.request().method()} ${response.url()}`,
      });
    }
  });
  page.on('pageerror', error => {
    problems.push({ who, page: where(), kind: 'uncaught', text: `${error}` });
  });
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page
    .getByText('Self-service PostgreSQL', { exact: true })
    .first()
    .waitFor({ timeout: 60_000 });
  return page;
}

/** Opens a page and waits for what shows it has rendered. */
async function visit(
  page: Page,
  path: string,
  rendered: (page: Page) => Promise<unknown>,
  screenshot: string,
) {
  await page.goto(`${BASE_URL}${path}`);
  await rendered(page);
  // Late effects (polls, lazy cards) get a moment to complain too.
  await page.waitForTimeout(2000);
  await page.screenshot({
    path: join(screenshots, screenshot),
    fullPage: true,
  });
}

/** The pages of the suite and what each shows once rendered. */
function suitePages(entityPath: string) {
  return [
    {
      path: '/',
      shot: 'home',
      rendered: (page: Page) =>
        page
          .getByText('Self-service PostgreSQL', { exact: true })
          .first()
          .waitFor({ timeout: 30_000 }),
    },
    {
      path: '/dbaas',
      shot: 'databases',
      rendered: async (page: Page) => {
        await page
          .getByRole('heading', { level: 2, name: 'Databases', exact: true })
          .waitFor({ timeout: 30_000 });
        await page
          .getByText(/\d+ databases?/)
          .first()
          .waitFor({
            timeout: 30_000,
          });
      },
    },
    {
      path: '/dbaas/approvals',
      shot: 'approvals',
      rendered: (page: Page) =>
        page
          .getByRole('heading', {
            level: 2,
            name: 'Approvals',
            exact: true,
          })
          .waitFor({ timeout: 30_000 }),
    },
    {
      path: '/dbaas/billing',
      shot: 'billing',
      rendered: (page: Page) =>
        page
          .getByRole('heading', {
            level: 2,
            name: 'Database billing',
            exact: true,
          })
          .waitFor({ timeout: 30_000 }),
    },
    {
      path: '/create/templates/default/postgres-database',
      shot: 'template',
      rendered: (page: Page) =>
        page.getByLabel(/Database name/i).waitFor({ timeout: 30_000 }),
    },
    {
      path: entityPath,
      shot: 'database-tab',
      rendered: async (page: Page) => {
        await page.getByTestId('dbaas-status').waitFor({ timeout: 30_000 });
        await page
          .getByRole('tablist', { name: 'Snippet format' })
          .waitFor({ timeout: 30_000 });
      },
    },
  ];
}

/** Runs the copied password command as a person would, and prints the result. */
function runPasswordCommand(command: string): string {
  const port = readFileSync(join(pgBaseDir, 'port'), 'utf8').trim();
  assert.match(command, new RegExp(`port=${port}\\b`));
  return execFileSync('bash', ['-c', `${command}; printf %s "$PGPASSWORD"`], {
    env: {
      ...process.env,
      PATH: `${pgBin}:${process.env.PATH}`,
      // The portal database's superuser, which the inner psql asks for.
      PGPASSWORD: readFileSync(
        join(pgBaseDir, 'superuser-password'),
        'utf8',
      ).trim(),
    },
    encoding: 'utf8',
  });
}

test('every page of the suite, as the guest and as Pat, without a console error', async () => {
  mkdirSync(screenshots, { recursive: true });
  const name = `console-${Date.now().toString(36)}`;
  const entityPath = `/catalog/default/resource/payments-${name}/database`;
  const problems: Problem[] = [];
  const browser = await launchChromium();
  try {
    // A database of this test's own, requested with the template.
    const guest = await session(browser, 'Guest Developer', problems);
    await guest.goto(`${BASE_URL}/create/templates/default/postgres-database`);
    await requestDatabase(guest, name);
    await untilReady(guest, entityPath);

    // The Connection card's password command prints the real password.
    await guest.goto(`${BASE_URL}${entityPath}?role=admin&format=psql`);
    const passwordBlock = guest.getByTestId('dbaas-snippet-psql-password-0');
    await passwordBlock.waitFor({ timeout: 30_000 });
    const command = (await passwordBlock.innerText()).trim();
    assert.equal(
      runPasswordCommand(command),
      storedPassword(`customer/payments/payments-${name}-admin`),
    );

    // Every page, as each of them.
    const pat = await session(browser, 'Pat (platform)', problems);
    for (const [who, page] of [
      ['guest', guest],
      ['pat', pat],
    ] as const) {
      for (const suitePage of suitePages(entityPath)) {
        await visit(
          page,
          suitePage.path,
          suitePage.rendered,
          `console-${who}-${suitePage.shot}.png`,
        );
      }
    }
  } finally {
    await browser.close();
    // Printed even when a page did not render, to see what went wrong.
    for (const problem of problems) {
      console.log(
        `[${problem.who}] ${problem.page} ${problem.kind}: ${problem.text}`,
      );
    }
  }

  assert.deepEqual(
    problems.map(p => `[${p.who}] ${p.page} ${p.kind}: ${p.text}`),
    [],
    'the browser console had errors or React warnings (printed above)',
  );
});
