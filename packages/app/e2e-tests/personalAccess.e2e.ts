/*
 * Just-in-time personal access in a real browser against the portal on the
 * embedded default (scripts/e2e.sh starts it). The guest, an owner of the
 * payments tenant, makes a database of its own with the template, asks for
 * read access on its Personal access card (the local cluster is a `dev`
 * cluster and the database `standard`, so an owner's request is approved at
 * once: dbaas.access.approval.dev.standard defaults to `auto`), activates
 * it, runs the psql command the one-time dialog shows (the personal login
 * role reads but cannot write), sees that the password is never shown again
 * and the grant cannot be activated twice, revokes it and sees that the same
 * command no longer logs in. Last, Pat (platform, not an owner) asks for
 * access to the same database: the request waits for an approver, Pat may
 * not approve it on the Approvals page, nor may the guest (no approver),
 * who revokes it as an owner.
 *
 * Run by scripts/e2e.sh (and scripts/test.sh) with Node's test runner:
 *   node --experimental-strip-types --test packages/app/e2e-tests/personalAccess.e2e.ts
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

/**
 * Runs a command as a person would paste it, plus the statement to run.
 * `password` goes in the environment for snippets without one; the
 * personal psql command carries its own and gets none.
 */
function run(command: string, sql: string, password?: string): string {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${pgBin}:${process.env.PATH}`,
    SQL: sql,
  };
  delete env.PGPASSWORD;
  if (password) {
    env.PGPASSWORD = password;
  }
  try {
    return execFileSync(
      'bash',
      ['-c', `${command} -v ON_ERROR_STOP=1 -Atc "$SQL"`],
      { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  } catch (error) {
    // psql's own message, not only "Command failed".
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`psql failed: ${stderr.trim()}`);
  }
}

test('personal access: ask, activate, connect once, revoke', async () => {
  mkdirSync(screenshots, { recursive: true });
  const name = `e2e-access-${Date.now().toString(36)}`;
  const reason = `e2e: look at a stuck job (${name})`;
  const browser = await launchChromium();
  try {
    // 1. A database of its own, with the template, as the guest.
    const page = await signedInAs(
      browser,
      'Guest Developer',
      '/create/templates/default/postgres-database',
    );
    await requestDatabase(page, name);

    const entityPath = `/catalog/default/resource/payments-${name}/database`;
    await untilReady(page, entityPath);

    // A table to read, written with the application's admin role.
    const snippetBlock = page.getByTestId('dbaas-snippet-psql');
    await page.goto(`${BASE_URL}${entityPath}?role=admin&sslmode=require`);
    await snippetBlock.waitFor({ timeout: 30_000 });
    run(
      (await snippetBlock.innerText()).trim(),
      "CREATE TABLE jobs (name text); INSERT INTO jobs VALUES ('stuck')",
      passwordOf(`customer/payments/payments-${name}-admin`),
    );

    // 2. Ask for read access for a short time, with a reason.
    await page.goto(`${BASE_URL}${entityPath}`);
    const ask = page.getByRole('button', { name: 'Ask for access' });
    await ask.waitFor({ timeout: 30_000 });
    await ask.click();
    const askDialog = page.getByRole('dialog', {
      name: 'Ask for personal access',
    });
    // dev cluster, standard database, an owner: approved at once.
    await askDialog
      .getByText('Your request is approved at once')
      .waitFor({ timeout: 10_000 });
    await askDialog.getByLabel('Duration (minutes)').fill('5');
    await askDialog.getByLabel(/Reason/).fill(reason);
    await page.screenshot({
      path: join(screenshots, 'access-request.png'),
      fullPage: true,
    });
    await askDialog.getByRole('button', { name: 'Ask for access' }).click();
    await askDialog.waitFor({ state: 'detached', timeout: 30_000 });

    const grants = page.getByRole('table', { name: 'Personal access grants' });
    const row = grants.getByRole('row').filter({ hasText: reason });
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /approved/);
    await page.screenshot({
      path: join(screenshots, 'access-approved.png'),
      fullPage: true,
    });

    // 3. Activate: the password, once, with a copy button and psql.
    await row.getByRole('button', { name: 'Activate' }).click();
    const shown = page.getByRole('dialog', {
      name: 'Your personal access is active',
    });
    await shown.waitFor({ timeout: 60_000 });
    const password = (
      await shown.getByTestId('dbaas-access-password').innerText()
    ).trim();
    assert.ok(password.length >= 16, 'a password is shown');
    await shown
      .getByRole('button', { name: 'Copy the password' })
      .waitFor({ timeout: 5_000 });
    const psql = (await shown.getByTestId('dbaas-access-psql').innerText())
      .trim()
      .replace(/\s*\n\s*/g, '');
    const uri = (await shown.getByTestId('dbaas-access-uri').innerText())
      .trim()
      .replace(/\s*\n\s*/g, '');
    assert.match(psql, /^psql 'postgresql:\/\//);
    assert.ok(psql.includes(uri), 'the psql command connects to the URI');
    await page.screenshot({
      path: join(screenshots, 'access-password-dialog.png'),
      fullPage: true,
    });

    // The command as shown logs in as the personal role (session_user),
    // acting as the database's read role (current_user, as the dialog
    // says): it reads and cannot write.
    const [whoami, actingAs] = run(
      psql,
      "SELECT session_user || ' ' || current_user",
    ).split(' ');
    assert.match(whoami, /^guest_[0-9a-f]+$/, `logged in as ${whoami}`);
    assert.equal(actingAs, `payments-${name}-read`);
    assert.ok(
      (await shown.innerText()).includes(whoami),
      'the dialog names the login role',
    );
    assert.equal(run(psql, 'SELECT name FROM jobs'), 'stuck');
    assert.throws(
      () => run(psql, "INSERT INTO jobs VALUES ('not allowed')"),
      /permission denied/,
    );
    assert.throws(
      () => run(psql, 'CREATE TABLE mine (x int)'),
      /permission denied/,
    );

    // 4. Closed, the password is gone: not on the page, not after a reload.
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'detached', timeout: 10_000 });
    assert.ok(!(await page.content()).includes(password));
    await page.reload();
    await row.waitFor({ timeout: 30_000 });
    assert.ok(!(await page.content()).includes(password));
    const listed = await row.innerText();
    assert.match(listed, /guest/, 'who');
    assert.ok(listed.includes(whoami), 'the login role');
    assert.match(listed, /\bread\b/, 'which role');
    assert.match(listed, /active/);
    assert.match(listed, /until/);
    assert.ok(listed.includes(reason), 'why');
    // Activated once: no second activation.
    assert.equal(
      await row.getByRole('button', { name: 'Activate' }).count(),
      0,
    );
    await page.screenshot({
      path: join(screenshots, 'access-active.png'),
      fullPage: true,
    });

    // 5. Revoked: the same command no longer logs in.
    await row.getByRole('button', { name: 'Revoke' }).click();
    await until(
      'the grant to leave the open grants',
      async () => ((await row.count()) === 0 ? true : undefined),
      30_000,
    );
    await page.screenshot({
      path: join(screenshots, 'access-revoked.png'),
      fullPage: true,
    });
    assert.throws(
      () => run(psql, 'SELECT 1'),
      /password authentication failed|does not exist|not permitted to log in/,
    );

    // 6. Someone who is not an owner (Pat, platform) waits for an approver,
    //    and may not approve their own request; the guest, an owner but no
    //    approver, may not approve it either, and revokes it.
    const pat = await signedInAs(browser, 'Pat (platform)', entityPath);
    const patReason = `e2e: Pat checks the indexes (${name})`;
    await pat.getByRole('button', { name: 'Ask for access' }).click();
    const patDialog = pat.getByRole('dialog', {
      name: 'Ask for personal access',
    });
    await patDialog
      .getByText('Your request waits for an approver')
      .waitFor({ timeout: 10_000 });
    await patDialog.getByLabel('Duration (minutes)').fill('5');
    await patDialog.getByLabel(/Reason/).fill(patReason);
    await patDialog.getByRole('button', { name: 'Ask for access' }).click();
    await patDialog.waitFor({ state: 'detached', timeout: 30_000 });
    const patRow = pat
      .getByRole('table', { name: 'Personal access grants' })
      .getByRole('row')
      .filter({ hasText: patReason });
    assert.match(await patRow.innerText({ timeout: 30_000 }), /pending/);
    assert.equal(
      await patRow.getByRole('button', { name: 'Activate' }).count(),
      0,
    );

    const requestOn = (p: Page) =>
      p
        .getByRole('region', { name: 'Access requests' })
        .locator('.MuiPaper-root')
        .filter({ hasText: patReason });
    await pat.goto(`${BASE_URL}/dbaas/approvals`);
    const patsOwn = requestOn(pat);
    await patsOwn.waitFor({ timeout: 30_000 });
    assert.ok(
      await patsOwn.getByRole('button', { name: 'Approve' }).isDisabled(),
    );
    assert.match(await patsOwn.innerText(), /This is your own request/);
    await pat.screenshot({
      path: join(screenshots, 'access-approvals-own-request.png'),
      fullPage: true,
    });
    await pat.context().close();

    await page.goto(`${BASE_URL}/dbaas/approvals`);
    const asGuest = requestOn(page);
    await asGuest.waitFor({ timeout: 30_000 });
    assert.ok(
      await asGuest.getByRole('button', { name: 'Approve' }).isDisabled(),
    );
    assert.match(await asGuest.innerText(), /Only the platform team decides/);

    await page.goto(`${BASE_URL}${entityPath}`);
    const guestSeesPat = page
      .getByRole('table', { name: 'Personal access grants' })
      .getByRole('row')
      .filter({ hasText: patReason });
    await guestSeesPat.getByRole('button', { name: 'Revoke' }).click();
    await until(
      "Pat's request to leave the open grants",
      async () => ((await guestSeesPat.count()) === 0 ? true : undefined),
      30_000,
    );
  } finally {
    await browser.close();
  }
});
