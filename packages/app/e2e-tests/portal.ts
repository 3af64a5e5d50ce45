/*
 * What the browser tests share: the portal's address, the environment
 * scripts/lib/e2e.sh gives them, signing in as one of the embedded default's
 * users, waiting for something to become true, the local secret store and
 * the local apps repository.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';

export const BASE_URL = 'http://localhost:3000';

/** A variable scripts/e2e.sh (or scripts/test.sh) sets for the browser tests. */
export function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set; run the browser tests through scripts/e2e.sh or scripts/test.sh`,
    );
  }
  return value;
}

/** Tries `attempt` every 2 s until it returns a value; its last error is in the timeout's message. */
export async function until<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** A new browser session signed in as one of the embedded default's users. */
export async function signedInAs(
  browser: Browser,
  who: 'Guest Developer' | 'Pat (platform)',
  path: string,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  const page = await context.newPage();
  await page.goto(`${BASE_URL}${path}`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  return page;
}

/** A role's password, as the provisioner stored it (the local secret store). */
export function storedPassword(path: string): string {
  const pgBaseDir = required('DBAAS_E2E_PG_BASE_DIR');
  const port = readFileSync(join(pgBaseDir, 'port'), 'utf8').trim();
  const out = execFileSync(
    join(required('DBAAS_TEST_PG_BIN'), 'psql'),
    [
      `host=127.0.0.1 port=${port} dbname=backstage_plugin_dbaas user=postgres`,
      '-Atc',
      `SELECT password FROM dbaas_local_secrets WHERE path = '${path.replace(
        /'/g,
        "''",
      )}'`,
    ],
    {
      env: {
        ...process.env,
        PGPASSWORD: readFileSync(
          join(pgBaseDir, 'superuser-password'),
          'utf8',
        ).trim(),
      },
      encoding: 'utf8',
    },
  ).trim();
  assert.ok(out, `no secret stored at ${path}`);
  return out;
}

/** git in the local apps repository of the portal under test. */
export function appsRepoGit(...args: string[]): string {
  const appsRepo = join(required('DBAAS_E2E_DATA_DIR'), 'apps-repo');
  return execFileSync('git', ['-C', appsRepo, ...args], {
    encoding: 'utf8',
  }).trim();
}

/**
 * Fills the request template `page` is on for `payments/<name>`, creates
 * it, and waits for the task's "Database status" link.
 */
export async function requestDatabase(page: Page, name: string) {
  await page.getByLabel(/Tenant namespace/i).click();
  await page.getByRole('option', { name: /payments/ }).click();
  await page.getByLabel(/Database name/i).fill(name);
  await page.getByText(/is available in/).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: /Review|Next/ }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByRole('link', { name: 'Database status' })
    .waitFor({ timeout: 120_000 });
}

/** Reloads a Database tab until its status says `ready`. */
export async function untilReady(page: Page, entityPath: string) {
  await until(
    'the database to be ready on its entity page',
    async () => {
      await page.goto(`${BASE_URL}${entityPath}`);
      const status = page.getByTestId('dbaas-status');
      await status.waitFor({ timeout: 10_000 });
      return (await status.innerText()).includes('ready') ? true : undefined;
    },
    180_000,
  );
}
