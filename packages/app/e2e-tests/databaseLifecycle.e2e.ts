/*
 * A database's life after its request, in a real browser against the
 * portal on the embedded default (scripts/e2e.sh starts it): the guest
 * requests a standard database of their own, makes it protected from its
 * Database tab (the form shows the pull request's diff before Create), then
 * deletes it from the tab (the form says that a protected database keeps
 * its data, and shows the diff). After each change the test reads the local
 * apps repository (DBAAS_E2E_DATA_DIR/apps-repo): the base branch and the
 * suite's branch hold exactly the change, and the merge commit carries the
 * pull request's text. The database ends orphaned, its data kept. On the
 * way: the generated entity's menu has no "Unregister entity", a
 * registered one has.
 *
 *   CI=true bash scripts/e2e.sh
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { launchChromium } from './launchChromium.ts';
import {
  BASE_URL,
  appsRepoGit as git,
  required,
  signedInAs,
  until,
  requestDatabase,
} from './portal.ts';

const dataDir = required('DBAAS_E2E_DATA_DIR');
const screenshots =
  process.env.DBAAS_E2E_SCREENSHOTS ?? join(dataDir, 'screenshots');

/** The values.yaml on main that defines the database, or undefined. */
function definingFile(name: string): string | undefined {
  let out = '';
  try {
    out = git('grep', '-l', '-E', `^\\s*- name: ${name}$`, 'main', '--');
  } catch {
    return undefined; // git grep exits 1 when nothing matches
  }
  const files = out.split('\n').filter(Boolean);
  assert.ok(files.length <= 1, `${name} is defined twice: ${out}`);
  return files[0]?.replace(/^main:/, '');
}

/** Reloads the Database tab until `testId` shows (the inventory caught up). */
async function untilOnTab(page: Page, entityPath: string, testId: string) {
  await until(
    `${testId} on the Database tab`,
    async () => {
      await page.goto(`${BASE_URL}${entityPath}`);
      await page.getByTestId(testId).waitFor({ timeout: 10_000 });
      return true;
    },
    120_000,
  );
}

/** The diff the form's last page shows, once the dry run answered. */
async function previewedDiff(page: Page): Promise<string> {
  const diff = page.getByTestId('dbaas-change-preview-diff');
  await diff.waitFor({ timeout: 60_000 });
  return until(
    'the diff to render',
    async () => {
      const text = await diff.innerText();
      return text.includes('@@') ? text : undefined;
    },
    20_000,
  );
}

/** Review, then Create; waits for the task's output. */
async function submit(page: Page) {
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByRole('link', { name: 'Database in the catalog' })
    .waitFor({ timeout: 120_000 });
}

test('change a database to protected and delete it from its Database tab', async () => {
  mkdirSync(screenshots, { recursive: true });
  const name = `lc-${Date.now().toString(36)}`;
  const databaseName = `payments-${name}`;
  const entityPath = `/catalog/default/resource/${databaseName}/database`;
  const browser = await launchChromium();
  try {
    // 1. A standard database of this test's own, as the guest.
    const page = await signedInAs(
      browser,
      'Guest Developer',
      '/create/templates/default/postgres-database',
    );
    await requestDatabase(page, name);
    const valuesFile = definingFile(name);
    assert.ok(valuesFile, `${name} is not on main after its request`);

    // 2. Its entity is generated: no "Unregister entity" in the menu, which
    //    a registered entity (a group of catalog-info.yaml) still offers.
    await untilOnTab(page, entityPath, 'dbaas-lifecycle-mode');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page
      .getByRole('menuitem', { name: 'Inspect entity' })
      .waitFor({ timeout: 10_000 });
    assert.equal(
      await page.getByRole('menuitem', { name: 'Unregister entity' }).count(),
      0,
      'a generated database entity offers "Unregister entity"',
    );
    await page.keyboard.press('Escape');
    await page.goto(`${BASE_URL}/catalog/default/group/payments`);
    await page.getByRole('button', { name: 'More actions' }).click();
    await page
      .getByRole('menuitem', { name: 'Unregister entity' })
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');

    // 3. Make it protected from the tab: the form comes filled in, and its
    //    last page shows the pull request's diff before Create.
    await page.goto(`${BASE_URL}${entityPath}`);
    const toProtected = page.getByTestId('dbaas-lifecycle-mode');
    await toProtected.waitFor({ timeout: 30_000 });
    // textContent: the button's CSS writes it in capitals.
    assert.equal(
      (await toProtected.textContent())?.trim(),
      'Make it protected',
    );
    await toProtected.click();
    await page.waitForURL(
      /\/create\/templates\/default\/postgres-database-mode/,
    );
    assert.equal(await page.getByLabel(/Database name/i).inputValue(), name);
    await page.getByRole('button', { name: 'Next' }).click();
    const modeDiff = await previewedDiff(page);
    assert.match(modeDiff, new RegExp(`${valuesFile.replace(/\./g, '\\.')}`));
    assert.match(modeDiff, /-\s+mode: standard/);
    assert.match(modeDiff, /\+\s+mode: protected/);
    assert.equal(
      definingFile(name),
      valuesFile,
      'the preview must not write to the apps repository',
    );
    assert.doesNotMatch(
      git('show', `main:${valuesFile}`),
      /mode: protected/,
      'the preview wrote to main',
    );
    await page.screenshot({
      path: join(screenshots, 'lifecycle-mode-preview.png'),
      fullPage: true,
    });
    await submit(page);

    const updateBranch = `dbaas/update/payments/${name}`;
    const updated = git('show', `main:${valuesFile}`);
    assert.match(
      updated,
      new RegExp(`- name: ${name}\\n\\s+mode: protected`),
      `main's ${valuesFile} does not make ${name} protected:\n${updated}`,
    );
    assert.equal(
      git('rev-parse', updateBranch),
      git('rev-parse', 'main'),
      `${updateBranch} is not what main was merged to`,
    );
    const updateMessage = git('log', '-1', '--format=%B', updateBranch);
    assert.match(
      updateMessage,
      new RegExp(
        `Change PostgreSQL database ${databaseName}: mode: standard → protected`,
      ),
    );
    assert.match(updateMessage, /Requested by `user:default\/guest`/);

    // 4. Delete it from the tab, once the tab knows it is protected: the
    //    form says the data stays, and shows the entry going away.
    await until(
      'the tab to show the database protected',
      async () => {
        await page.goto(`${BASE_URL}${entityPath}`);
        const mode = page.getByTestId('dbaas-lifecycle-mode');
        await mode.waitFor({ timeout: 10_000 });
        return (await mode.textContent())?.includes('Make it standard')
          ? true
          : undefined;
      },
      120_000,
    );
    await page.getByTestId('dbaas-lifecycle-delete').click();
    await page.waitForURL(
      /\/create\/templates\/default\/postgres-database-delete/,
    );
    await page
      .getByLabel(/Reason/i)
      .fill('e2e: the lifecycle test is done with it');
    await page.getByRole('button', { name: 'Next' }).click();
    const consequences = page.getByTestId('dbaas-deletion-consequences');
    await consequences.waitFor({ timeout: 30_000 });
    assert.match(
      await consequences.innerText(),
      new RegExp(`${databaseName} is protected: its data stays`),
    );
    const deleteDiff = await previewedDiff(page);
    assert.match(deleteDiff, new RegExp(`-\\s+- name: ${name}`));
    assert.match(deleteDiff, /-\s+mode: protected/);
    await page.screenshot({
      path: join(screenshots, 'lifecycle-delete-preview.png'),
      fullPage: true,
    });
    await submit(page);

    const deleteBranch = `dbaas/delete/payments/${name}`;
    assert.equal(definingFile(name), undefined, `${name} is still on main`);
    assert.equal(git('rev-parse', deleteBranch), git('rev-parse', 'main'));
    const deleteMessage = git('log', '-1', '--format=%B', deleteBranch);
    assert.match(
      deleteMessage,
      new RegExp(`Remove PostgreSQL database ${databaseName}`),
    );
    assert.match(
      deleteMessage,
      /Reason: e2e: the lifecycle test is done with it/,
    );
    assert.match(deleteMessage, /### The data stays/);

    // 5. Protected: it stays in the cluster with its data, orphaned.
    await until(
      'the database to be orphaned',
      async () => {
        await page.goto(`${BASE_URL}${entityPath}`);
        const status = page.getByTestId('dbaas-status');
        await status.waitFor({ timeout: 10_000 });
        return (await status.innerText()).includes('orphaned')
          ? true
          : undefined;
      },
      120_000,
    );
    // Nothing left to change: the card says why instead of offering forms
    // the actions would refuse.
    const card = page.getByTestId('dbaas-lifecycle-card');
    await card
      .getByText(/kept only by deletion protection/)
      .waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('dbaas-lifecycle-delete').count(), 0);
    await page.screenshot({
      path: join(screenshots, 'lifecycle-orphaned.png'),
      fullPage: true,
    });
  } finally {
    await browser.close();
  }
});
