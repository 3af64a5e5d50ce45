/*
 * The whole self-service flow in a real browser against the portal on the
 * embedded default (scripts/test.sh starts it): request a database with the
 * template, see it become ready on its entity page, copy the psql snippet and
 * run it, with the password from the local secret store, to create a table
 * as admin and read it as read. Then the worst hour: take a snapshot, write
 * a row after it, request an in-place restore as the developer, approve it
 * as a platform engineer on the Approvals page, review the preview of the
 * swap and finalize it as the developer, and read the data back as it was
 * at the snapshot.
 *
 * Run by scripts/test.sh with Node's test runner:
 *   node --experimental-strip-types --test packages/app/e2e-tests/databaseFlow.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { launchChromium } from './launchChromium.ts';
import {
  BASE_URL,
  required,
  signedInAs,
  storedPassword as passwordOf,
  until,
  requestDatabase,
  untilReady,
} from './portal.ts';

const dataDir = required('DBAAS_E2E_DATA_DIR');
const pgBin = required('DBAAS_TEST_PG_BIN');
const screenshots =
  process.env.DBAAS_E2E_SCREENSHOTS ?? join(dataDir, 'screenshots');

/** Runs a snippet as a person would paste it, with the password in the environment. */
function runSnippet(snippet: string, password: string, sql: string): string {
  return execFileSync(
    'bash',
    ['-c', `${snippet} -v ON_ERROR_STOP=1 -Atc "$SQL"`],
    {
      env: {
        ...process.env,
        PATH: `${pgBin}:${process.env.PATH}`,
        PGPASSWORD: password,
        SQL: sql,
      },
      encoding: 'utf8',
    },
  ).trim();
}

/** Reloads the entity page until its newest restore is in `state`; a failed restore stops the wait. */
async function untilRestoreState(
  page: Page,
  entityPath: string,
  state: string,
) {
  await until(
    `the restore to be ${state}`,
    async () => {
      await page.goto(`${BASE_URL}${entityPath}`);
      const text = await page
        .getByTestId('dbaas-restore-state')
        .first()
        .innerText({ timeout: 10_000 });
      if (text.includes('failed')) {
        throw new Error('the restore failed');
      }
      return text.includes(state) ? true : undefined;
    },
    180_000,
  );
}

async function snippetFor(page: Page, entityPath: string, role: string) {
  await page.goto(`${BASE_URL}${entityPath}?role=${role}&sslmode=require`);
  const block = page.getByTestId('dbaas-snippet-psql');
  await block.waitFor({ timeout: 30_000 });
  return (await block.innerText()).trim();
}

test('request a database, see it ready, connect with the psql snippet', async () => {
  mkdirSync(screenshots, { recursive: true });
  const name = `e2e-${Date.now().toString(36)}`;
  const browser = await launchChromium();
  try {
    // 1. The template, as the guest (a member of payments and checkout).
    const page = await signedInAs(
      browser,
      'Guest Developer',
      '/create/templates/default/postgres-database',
    );
    await requestDatabase(page, name);
    await page.screenshot({ path: join(screenshots, 'template-done.png') });

    // 2. Its entity page, until the inventory says ready.
    const entityPath = `/catalog/default/resource/payments-${name}/database`;
    await untilReady(page, entityPath);
    await page.screenshot({
      path: join(screenshots, 'database-tab.png'),
      fullPage: true,
    });

    // 3. The psql snippet, run as admin to write and as read to read.
    const secretBase = `customer/payments/payments-${name}`;
    const adminSnippet = await snippetFor(page, entityPath, 'admin');
    assert.doesNotMatch(
      adminSnippet,
      new RegExp(passwordOf(`${secretBase}-admin`)),
    );
    runSnippet(
      adminSnippet,
      passwordOf(`${secretBase}-admin`),
      "CREATE TABLE greetings (text text); INSERT INTO greetings VALUES ('hello from the e2e test')",
    );
    const readSnippet = await snippetFor(page, entityPath, 'read');
    assert.equal(
      runSnippet(
        readSnippet,
        passwordOf(`${secretBase}-read`),
        'SELECT text FROM greetings',
      ),
      'hello from the e2e test',
    );
    assert.throws(
      () =>
        runSnippet(
          readSnippet,
          passwordOf(`${secretBase}-read`),
          "INSERT INTO greetings VALUES ('not allowed')",
        ),
      /permission denied/,
    );

    // 4. A snapshot, then a row written after it.
    await page.goto(`${BASE_URL}${entityPath}`);
    await page.getByTestId('dbaas-take-snapshot').click();
    await page
      .locator('[data-testid^="dbaas-snapshot-"]')
      .first()
      .waitFor({ timeout: 120_000 });
    runSnippet(
      adminSnippet,
      passwordOf(`${secretBase}-admin`),
      "INSERT INTO greetings VALUES ('written after the snapshot')",
    );

    // 5. An in-place restore of that snapshot, requested by the guest.
    await page.getByTestId('dbaas-request-restore').click();
    const dialog = page.getByTestId('dbaas-restore-dialog');
    await dialog.getByLabel('Target').selectOption('in-place');
    await dialog
      .getByLabel(`Type payments-${name} to confirm`)
      .fill(`payments-${name}`);
    await dialog
      .getByLabel('Reason')
      .fill('e2e: a bad migration wrote a row it should not have');
    await dialog.getByRole('button', { name: 'Request restore' }).click();
    const state = page.getByTestId('dbaas-restore-state').first();
    await until(
      'the restore request to wait for approval',
      async () =>
        (await state.innerText()).includes('pending-approval')
          ? true
          : undefined,
      30_000,
    );
    await page.screenshot({
      path: join(screenshots, 'restore-requested.png'),
      fullPage: true,
    });

    // 6. Approved by a platform engineer, in another session.
    const approver = await signedInAs(
      browser,
      'Pat (platform)',
      '/dbaas/approvals',
    );
    const request = approver.getByRole('region', {
      name: `Restore of payments/${name}`,
    });
    await request.getByRole('button', { name: 'Approve' }).click();
    await approver.getByRole('button', { name: 'Approve restore' }).click();
    await request.waitFor({ state: 'detached', timeout: 30_000 });
    await approver.context().close();

    // 7. Back as the guest: the restore stops before the swap with a
    //    preview (one row at the snapshot, two now), and the guest, who
    //    asked for it, finalizes it.
    await untilRestoreState(page, entityPath, 'awaiting-finalize');
    const preview = page.getByRole('region', { name: 'Restore preview' });
    const greetings = preview.getByTestId('dbaas-preview-public.greetings');
    await greetings.waitFor({ timeout: 30_000 });
    assert.match(await greetings.innerText(), /1\s+2\s+\+1/);
    await page.screenshot({
      path: join(screenshots, 'restore-awaiting-finalize.png'),
      fullPage: true,
    });
    await preview.getByRole('button', { name: 'Finalize' }).click();
    await page.getByRole('button', { name: 'Finalize and swap' }).click();

    // 8. The swap runs, and the data is the snapshot's: the row written
    //    after it is gone.
    await untilRestoreState(page, entityPath, 'succeeded');
    await page.screenshot({
      path: join(screenshots, 'restore-succeeded.png'),
      fullPage: true,
    });
    assert.equal(
      runSnippet(
        readSnippet,
        passwordOf(`${secretBase}-read`),
        'SELECT text FROM greetings ORDER BY text',
      ),
      'hello from the e2e test',
    );
  } finally {
    await browser.close();
  }
});
