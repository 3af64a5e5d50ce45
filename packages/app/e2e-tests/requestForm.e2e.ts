/*
 * The request form and what follows it, in a real browser against the
 * portal on the embedded default (scripts/e2e.sh starts it): the Review step
 * shows the names the database gets, the task's "Database status" link shows
 * where the database stands at once (never "Entity not found"), its
 * "Pull request" link opens a page (the local apps repository has no pull
 * request page: never a file:// URL), and a name that is taken is refused in
 * the form itself, once, in plain words, before Create.
 *
 * Run by scripts/e2e.sh with Node's test runner:
 *   node --experimental-strip-types --test packages/app/e2e-tests/requestForm.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { launchChromium } from './launchChromium.ts';

import { BASE_URL } from './portal.ts';

const screenshots = join(
  process.env.DBAAS_E2E_SCREENSHOTS ??
    join(process.env.DBAAS_E2E_DATA_DIR ?? '/tmp', 'screenshots'),
  'request-form',
);

/** Fills the template's first step: the payments tenant and `name`. */
async function fillDatabaseStep(page: Page, name: string) {
  await page.goto(`${BASE_URL}/create/templates/default/postgres-database`);
  await page.getByLabel(/Tenant namespace/i).click();
  await page.getByRole('option', { name: /payments/ }).click();
  await page.getByLabel(/Database name/i).fill(name);
}

/** The text under the name field: where its problems show. */
function nameHelp(page: Page) {
  return page.locator('#root_name-helper-text');
}

test('the request form shows the names, the status at once, and refuses a taken name before Create', async () => {
  mkdirSync(screenshots, { recursive: true });
  const name = `form-${Date.now().toString(36)}`;
  const database = `payments-${name}`;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
    });
    const page = await context.newPage();
    // The first page load waits for the frontend's bundle, which the dev
    // server may still be building on a busy machine.
    await page.goto(`${BASE_URL}/create/templates/default/postgres-database`, {
      timeout: 180_000,
    });
    await page
      .getByRole('button', { name: 'Sign in as Guest Developer' })
      .click();

    // 1. A free name: its resulting names under the field, then in Review.
    await fillDatabaseStep(page, name);
    await nameHelp(page)
      .getByText(/is available in/)
      .waitFor({ timeout: 30_000 });
    const names = page.getByRole('definition');
    await page
      .getByText('customer/payments/', { exact: false })
      .first()
      .waitFor({ timeout: 30_000 });
    assert.equal(await names.first().innerText(), database);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).waitFor();
    const review = page.getByRole('table');
    const row = async (label: string) =>
      (
        await review
          .getByRole('row')
          .filter({ has: page.getByText(label, { exact: true }) })
          .innerText()
      ).replace(/\s+/g, ' ');
    assert.match(await row('Database'), new RegExp(`${database}$`));
    assert.match(
      await row('Roles'),
      new RegExp(`${database}-read, ${database}-write, ${database}-admin`),
    );
    assert.match(
      await row('Kubernetes Secrets'),
      new RegExp(`${database}-read, ${database}-write, ${database}-admin`),
    );
    assert.match(
      await row('Secret manager paths'),
      new RegExp(`customer/payments/${database}-read`),
    );
    await page.screenshot({ path: join(screenshots, 'review.png') });

    // 2. Create: the status link shows the database at once.
    await page.getByRole('button', { name: 'Create' }).click();
    const statusLink = page.getByRole('link', { name: 'Database status' });
    await statusLink.waitFor({ timeout: 120_000 });
    const pullRequestHref = await page
      .getByRole('link', { name: 'Pull request' })
      .getAttribute('href');
    assert.ok(pullRequestHref, 'the Pull request link has an address');
    assert.doesNotMatch(pullRequestHref, /^file:/);
    await page.screenshot({ path: join(screenshots, 'task-done.png') });

    const clickedAt = Date.now();
    await statusLink.click();
    await page.waitForURL(`**/dbaas/databases/payments/${name}`);
    await page
      .getByTestId('dbaas-status')
      .or(page.getByText('Not in the inventory yet'))
      .waitFor({ timeout: 20_000 });
    // Within seconds (the page's code loads on first use), not the 20-45 s
    // the catalog took to have the entity.
    assert.ok(
      Date.now() - clickedAt < 20_000,
      'the status shows within seconds of the request',
    );
    assert.equal(await page.getByText(/Entity not found/i).count(), 0);
    await page.getByTestId('dbaas-status').waitFor({ timeout: 30_000 });
    assert.match(
      await page.getByTestId('dbaas-status').innerText(),
      /requested|merged|provisioning|ready/,
    );
    assert.equal(
      await page.getByRole('list', { name: 'Lifecycle' }).count(),
      1,
    );
    await page.screenshot({
      path: join(screenshots, 'database-page.png'),
      fullPage: true,
    });

    // 3. The Pull request link opens a page of the portal: the database's,
    // naming the local commit.
    await page.goto(new URL(pullRequestHref, BASE_URL).toString());
    await page
      .getByRole('heading', { name: database })
      .waitFor({ timeout: 30_000 });
    await page
      .getByRole('list', { name: 'Pull requests' })
      .getByText(/local apps repository, commit [0-9a-f]{12}/)
      .waitFor({ timeout: 30_000 });

    // 4. The same name again: refused in the form, once, in plain words.
    await fillDatabaseStep(page, name);
    const taken = nameHelp(page).getByText(/already exists/);
    await taken.waitFor({ timeout: 30_000 });
    assert.equal(await taken.count(), 1);
    const message = await taken.innerText();
    assert.match(message, new RegExp(`“payments/${name}” already exists`));
    assert.doesNotMatch(message, /`/);
    await page.getByRole('button', { name: 'Next' }).click();
    // The form asks the backend itself and stays on the step.
    await page
      .getByText(`'Database name' ${message}`)
      .waitFor({ timeout: 30_000 });
    assert.equal(await page.getByLabel(/Slack channel/i).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Review' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Create' }).count(), 0);
    assert.equal(await page.getByLabel(/Database name/i).inputValue(), name);
    // Next to the field, the message shows once (the form does not repeat
    // it under the field).
    assert.equal(await page.getByText(message, { exact: true }).count(), 1);
    assert.doesNotMatch(await page.locator('form').innerText(), /`/);
    await page.screenshot({ path: join(screenshots, 'taken-name.png') });
  } finally {
    await browser.close();
  }
});
