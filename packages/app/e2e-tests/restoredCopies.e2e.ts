/*
 * Restored copies in a real browser against the portal on the embedded
 * default (scripts/e2e.sh starts it, with `dbaas.restore.copies.expireAfter`
 * of 75 seconds): a database of its own, a snapshot, then two restores into
 * new databases, each approved by a platform engineer. The first copy is
 * kept: Keep on its restore merges the create change into the local apps
 * repository (its branch dbaas/create/payments/<copy> and values.yaml on
 * main), and the copy becomes an ordinary ready database. The second is
 * left alone: it shows as a restored copy ("restored from ... at ...") on
 * the Databases page, then expires and is dropped, which its restore says.
 *
 *   node --experimental-strip-types --test packages/app/e2e-tests/restoredCopies.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from './launchChromium.ts';
import {
  BASE_URL,
  appsRepoGit as git,
  required,
  signedInAs,
  until,
  requestDatabase,
  untilReady,
} from './portal.ts';

const dataDir = required('DBAAS_E2E_DATA_DIR');
const screenshots =
  process.env.DBAAS_E2E_SCREENSHOTS ?? join(dataDir, 'screenshots');

/** The panel of the restored copy named `copy` on the entity page. */
function copyPanel(page: Page, copy: string) {
  return page.locator('[data-testid^="dbaas-restored-copy-"]', {
    hasText: copy,
  });
}

/** Requests a new-database restore of the newest snapshot into `targetName`. */
async function requestCopy(page: Page, entityPath: string, targetName: string) {
  await page.goto(`${BASE_URL}${entityPath}`);
  await page.getByTestId('dbaas-request-restore').click();
  const dialog = page.getByTestId('dbaas-restore-dialog');
  await dialog.getByLabel('Target').selectOption('new-database');
  await dialog
    .getByLabel('Name of the new database (optional)')
    .fill(targetName);
  await dialog
    .getByLabel('Reason')
    .fill(`e2e: look at yesterday in ${targetName}`);
  await dialog.getByRole('button', { name: 'Request restore' }).click();
  await until(
    `the restore into ${targetName} to wait for approval`,
    async () =>
      (
        await page.getByTestId('dbaas-restore-state').first().innerText()
      ).includes('pending-approval')
        ? true
        : undefined,
    30_000,
  );
}

async function approve(browser: Browser, database: string) {
  const approver = await signedInAs(
    browser,
    'Pat (platform)',
    '/dbaas/approvals',
  );
  const request = approver.getByRole('region', {
    name: `Restore of payments/${database}`,
  });
  await request.getByRole('button', { name: 'Approve' }).click();
  await approver.getByRole('button', { name: 'Approve restore' }).click();
  await request.waitFor({ state: 'detached', timeout: 30_000 });
  await approver.context().close();
}

/** Reloads the entity page until the copy's panel (its restore succeeded) shows `text`. */
async function untilCopySays(
  page: Page,
  entityPath: string,
  copy: string,
  text: RegExp,
  timeoutMs: number,
) {
  return until(
    `the copy ${copy} to say ${text}`,
    async () => {
      await page.goto(`${BASE_URL}${entityPath}`);
      // The restores load after the page: wait for them before reading.
      await page
        .getByTestId('dbaas-restore-state')
        .first()
        .waitFor({ timeout: 15_000 });
      const states = await page
        .getByTestId('dbaas-restore-state')
        .allInnerTexts();
      if (states.some(s => s.includes('failed'))) {
        throw new Error('a restore failed');
      }
      const panel = copyPanel(page, copy);
      if ((await panel.count()) === 0) {
        return undefined;
      }
      const said = await panel.first().innerText({ timeout: 5_000 });
      return text.test(said) ? said : undefined;
    },
    timeoutMs,
  );
}

test('restored copies: one kept through the apps repository, one expired', async () => {
  mkdirSync(screenshots, { recursive: true });
  const name = `cp-${Date.now().toString(36)}`;
  const keptName = `${name}-kept`;
  const goneName = `${name}-gone`;
  const browser = await launchChromium();
  try {
    // A database of this test's own, ready, with a snapshot.
    const page = await signedInAs(
      browser,
      'Guest Developer',
      '/create/templates/default/postgres-database',
    );
    await requestDatabase(page, name);
    const entityPath = `/catalog/default/resource/payments-${name}/database`;
    await untilReady(page, entityPath);
    await page.getByTestId('dbaas-take-snapshot').click();
    await page
      .locator('[data-testid^="dbaas-snapshot-"]')
      .first()
      .waitFor({ timeout: 120_000 });

    // 1. The first copy, kept: Keep merges the create change at once in
    //    the local apps repository.
    await requestCopy(page, entityPath, keptName);
    await approve(browser, name);
    await untilCopySays(
      page,
      entityPath,
      `payments-${keptName}`,
      /unless someone keeps it/,
      180_000,
    );
    const kept = copyPanel(page, `payments-${keptName}`);
    await kept.getByRole('button', { name: 'Keep' }).click();
    await kept
      .getByText(/added to the apps repository/)
      .waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: join(screenshots, 'restored-copy-kept.png'),
      fullPage: true,
    });
    assert.ok(
      git(
        'rev-parse',
        '--verify',
        `refs/heads/dbaas/create/payments/${keptName}`,
      ),
      'the keep branch exists',
    );
    assert.match(
      git('show', `main:payments/${keptName}/values.yaml`),
      new RegExp(`name: ${keptName}`),
    );
    // Once defined it is an ordinary database.
    await until(
      'the kept copy to be ready',
      async () => {
        await page.goto(
          `${BASE_URL}/catalog/default/resource/payments-${keptName}/database`,
        );
        const status = page.getByTestId('dbaas-status');
        await status.waitFor({ timeout: 10_000 });
        return (await status.innerText()).includes('ready') ? true : undefined;
      },
      120_000,
    );

    // 2. The second copy, left alone: a restored copy on the Databases
    //    page, then expired and dropped (expireAfter: 75 s here).
    await requestCopy(page, entityPath, goneName);
    await approve(browser, name);
    await untilCopySays(
      page,
      entityPath,
      `payments-${goneName}`,
      /unless someone keeps it/,
      180_000,
    );
    await until(
      'the Databases page to show the copy as restored',
      async () => {
        await page.goto(`${BASE_URL}/dbaas?q=${goneName}`);
        const row = page.getByRole('row', { name: new RegExp(goneName) });
        const text = await row.first().innerText({ timeout: 10_000 });
        return /Restored copy/.test(text) &&
          new RegExp(`restored from payments/${name} at`).test(text)
          ? true
          : undefined;
      },
      60_000,
    );
    assert.doesNotMatch(
      await page
        .getByRole('row', { name: new RegExp(goneName) })
        .first()
        .innerText(),
      /Unmanaged/,
    );
    await page.screenshot({
      path: join(screenshots, 'restored-copy-listed.png'),
      fullPage: true,
    });
    await untilCopySays(
      page,
      entityPath,
      `payments-${goneName}`,
      /nobody kept it before it expired/,
      180_000,
    );
    await page.screenshot({
      path: join(screenshots, 'restored-copy-expired.png'),
      fullPage: true,
    });
    assert.throws(() =>
      git(
        'rev-parse',
        '--verify',
        `refs/heads/dbaas/create/payments/${goneName}`,
      ),
    );
  } finally {
    await browser.close();
  }
});
