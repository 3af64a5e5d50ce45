/*
 * The checks of scripts/adopter-check.sh, in two modes:
 *
 *   node --experimental-strip-types scripts/lib/adopter-checks.ts guide README SKELETON PLUGINS
 *     The root README's "Add it to your Backstage" and the adopter skeleton
 *     say the same: every code block marked `<!-- adopter-check: FILE -->`
 *     is in the skeleton's FILE (its lines, in order); every `yarn --cwd DIR
 *     add` line names exactly the @dbaas/* dependencies of the skeleton's
 *     DIR/package.json; and every publishable package under PLUGINS is added
 *     by the guide or comes with one that is.
 *
 *   node --experimental-strip-types scripts/lib/adopter-checks.ts flow BASE_URL
 *     What an adopter sees in the started app: /api/dbaas/health answers,
 *     the template is in the catalog, a database requested through the
 *     scaffolder API becomes `ready`, and its Database tab renders in
 *     Chromium. DBAAS_CHROMIUM names the browser; ADOPTER_SCREENSHOTS where
 *     a screenshot of a failed browser check goes.
 *
 * Prints one line per check passed; throws (exit 1) with what was expected
 * and what was seen.
 */
import { readFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, any>;

const SECTION = '## Add it to your Backstage';

function fail(message: string): never {
  throw new Error(message);
}

function ok(message: string) {
  console.log(`  ok  ${message}`);
}

// ---------------------------------------------------------------- guide ---

/** The README section's fenced blocks, each with the marker before it, if any. */
function guideBlocks(readme: string) {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start < 0) {
    fail(`the README has no "${SECTION}" section`);
  }
  const rest = readme.slice(start + SECTION.length + 2);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks: { marker?: string; lang: string; body: string }[] = [];
  const fence =
    /(?:<!-- adopter-check: ([^>]+?) -->\s*\n)?```(\w*)\n([\s\S]*?)\n```/g;
  for (const match of section.matchAll(fence)) {
    blocks.push({ marker: match[1], lang: match[2], body: match[3] });
  }
  return { section, blocks };
}

/** Lines that say something: no blank lines, no `// ...` or `# ...` elisions. */
function meaningfulLines(text: string): string[] {
  return text
    .split('\n')
    .map(line => line.replace(/\s+$/, ''))
    .filter(line => line.trim() !== '' && !/^\s*(\/\/|#) \.\.\./.test(line));
}

function checkBlockInFile(skeleton: string, file: string, body: string) {
  const path = join(skeleton, file);
  if (!existsSync(path)) {
    fail(
      `the guide shows a block of ${file}, which the skeleton does not have`,
    );
  }
  const lines = meaningfulLines(readFileSync(path, 'utf8'));
  let at = 0;
  for (const wanted of meaningfulLines(body)) {
    const found = lines.indexOf(wanted, at);
    if (found < 0) {
      fail(
        `the guide's block for ${file} says\n    ${wanted.trim()}\n  but the skeleton's ${file} does not have that line (in this order)`,
      );
    }
    at = found + 1;
  }
}

function dbaasDependencies(packageJson: Json): string[] {
  return Object.keys(packageJson.dependencies ?? {})
    .filter(name => name.startsWith('@dbaas/'))
    .sort();
}

function guide(readmePath: string, skeleton: string, pluginsDir: string) {
  const { blocks } = guideBlocks(readFileSync(readmePath, 'utf8'));

  const marked = blocks.filter(block => block.marker);
  if (marked.length === 0) {
    fail(
      `no code block in "${SECTION}" is marked <!-- adopter-check: FILE -->`,
    );
  }
  for (const block of marked) {
    checkBlockInFile(skeleton, block.marker!, block.body);
  }
  ok(
    `the guide's ${marked.length} marked blocks are in the skeleton (${marked
      .map(block => block.marker)
      .join(', ')})`,
  );

  const added = new Map<string, string[]>();
  for (const block of blocks) {
    // One command per line, once lines ending in a backslash are joined.
    const commands = block.body.replace(/\\\n\s*/g, ' ').split('\n');
    for (const command of commands) {
      const match = /^yarn --cwd (\S+) add (.+)$/.exec(command.trim());
      if (match) {
        const names = match[2].split(/\s+/).filter(Boolean);
        added.set(match[1], [...(added.get(match[1]) ?? []), ...names]);
      }
    }
  }
  if (added.size === 0) {
    fail(`no "yarn --cwd DIR add ..." line in "${SECTION}"`);
  }
  for (const [dir, names] of added) {
    const pkgPath = join(skeleton, dir, 'package.json');
    if (!existsSync(pkgPath)) {
      fail(
        `the guide adds packages to ${dir}, which the skeleton does not have`,
      );
    }
    // Every package the guide adds (Backstage's own, e.g. the optional
    // events backend, too) and no @dbaas package the guide leaves out.
    const want = [...new Set(names)].sort().join(' ');
    const skeletonPackage = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const have = [
      ...new Set([
        ...dbaasDependencies(skeletonPackage),
        ...names.filter(name => name in (skeletonPackage.dependencies ?? {})),
      ]),
    ]
      .sort()
      .join(' ');
    if (want !== have) {
      fail(
        `the guide adds to ${dir}: ${want}\n  the skeleton's ${dir}/package.json has: ${have}`,
      );
    }
  }

  // Every publishable package reaches the app: named by the guide, or a
  // dependency of one that is.
  const publishable = new Map<string, Json>();
  for (const dir of readdirSync(pluginsDir)) {
    const pkgPath = join(pluginsDir, dir, 'package.json');
    if (existsSync(pkgPath)) {
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
      if (pkg.private !== true) {
        publishable.set(pkg.name, pkg);
      }
    }
  }
  const reached = new Set<string>();
  const visit = (name: string) => {
    if (reached.has(name) || !publishable.has(name)) {
      return;
    }
    reached.add(name);
    dbaasDependencies(publishable.get(name)!).forEach(visit);
  };
  for (const names of added.values()) {
    for (const name of names) {
      // Backstage's own packages (the optional events backend) come from
      // the registry; every @dbaas one must be ours.
      if (name.startsWith('@dbaas/') && !publishable.has(name)) {
        fail(
          `the guide adds ${name}, which is no publishable package of plugins/`,
        );
      }
      visit(name);
    }
  }
  const missing = [...publishable.keys()].filter(name => !reached.has(name));
  if (missing.length > 0) {
    fail(
      `the guide installs no package that brings ${missing.join(
        ', ',
      )}; add it to a "yarn --cwd ... add" line`,
    );
  }
  ok(
    `the guide's yarn lines match the skeleton and bring all ${publishable.size} publishable packages`,
  );
}

// ----------------------------------------------------------------- flow ---

/** The backend does not answer at all: no use waiting for it. */
class BackendGone extends Error {}

async function until<T>(
  what: string,
  timeoutMs: number,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      if (error instanceof BackendGone) {
        throw error;
      }
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      fail(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${
          last ? ` (last: ${last})` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

async function flow(baseUrl: string) {
  const api = async (
    path: string,
    init: RequestInit & { token?: string } = {},
  ): Promise<{ status: number; body: any }> => {
    const headers = new Headers(init.headers);
    if (init.token) {
      headers.set('Authorization', `Bearer ${init.token}`);
    }
    if (init.body) {
      headers.set('Content-Type', 'application/json');
    }
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, { ...init, headers });
    } catch (error) {
      throw new BackendGone(
        `${path}: the backend does not answer (${
          (error as { cause?: Error }).cause?.message ?? error
        })`,
      );
    }
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  };

  const health = await api('/api/dbaas/health');
  if (health.status !== 200) {
    fail(
      `GET /api/dbaas/health answered ${health.status}: ${JSON.stringify(
        health.body,
      )}`,
    );
  }
  ok('GET /api/dbaas/health answers 200');

  const index = await api('/');
  if (index.status !== 200 || !String(index.body).includes('<div id="root">')) {
    fail(`GET / answered ${index.status} without the app's index.html`);
  }
  ok("GET / serves the app's built frontend (app backend, one port)");

  const session = await api('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token: string | undefined = session.body?.backstageIdentity?.token;
  if (session.status !== 200 || !token) {
    fail(
      `the guest sign-in answered ${session.status}: ${JSON.stringify(
        session.body,
      )}`,
    );
  }
  ok('signed in as the guest (auth backend, guest provider)');

  const templatePath =
    '/api/catalog/entities/by-name/template/default/postgres-database';
  const template = await until(
    'the template in the catalog',
    90_000,
    async () => {
      const { status, body } = await api(templatePath, { token });
      if (status === 200) {
        return body;
      }
      throw new Error(`GET ${templatePath} answered ${status}`);
    },
  );
  ok(
    `the "${template.metadata.title}" template is in the catalog (registered from node_modules as the guide says)`,
  );

  const name = `adopter-${Date.now().toString(36)}`;
  const created = await api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    token,
    body: JSON.stringify({
      templateRef: 'template:default/postgres-database',
      values: { namespace: 'payments', name, mode: 'standard' },
    }),
  });
  if (created.status !== 201 || !created.body?.id) {
    fail(
      `POST /api/scaffolder/v2/tasks answered ${
        created.status
      }: ${JSON.stringify(created.body)}`,
    );
  }
  const taskId: string = created.body.id;
  await until(`scaffolder task ${taskId}`, 120_000, async () => {
    const { body } = await api(`/api/scaffolder/v2/tasks/${taskId}`, { token });
    if (body?.status === 'completed') {
      return true;
    }
    if (body?.status === 'failed' || body?.status === 'cancelled') {
      const events = await api(`/api/scaffolder/v2/tasks/${taskId}/events`, {
        token,
      });
      const log = (Array.isArray(events.body) ? events.body : [])
        .map((event: Json) => event.body?.message)
        .filter(Boolean)
        .join('\n    ');
      fail(`the scaffolder task ${body.status}:\n    ${log}`);
    }
    return undefined;
  });
  ok(
    `the template's task completed (database payments/${name} requested through POST /api/scaffolder/v2/tasks)`,
  );

  const databasePath = `/api/dbaas/databases/payments/${name}`;
  let lastStatus = '';
  await until(`payments/${name} to be ready`, 120_000, async () => {
    const { status, body } = await api(databasePath, { token });
    if (status !== 200) {
      throw new Error(`GET ${databasePath} answered ${status}`);
    }
    lastStatus = body.status;
    if (body.status === 'failed') {
      fail(
        `payments/${name} failed: ${JSON.stringify(
          body.statusMessage ?? body,
        )}`,
      );
    }
    return body.status === 'ready' ? true : undefined;
  }).catch(error => {
    throw new Error(`${error.message}; its status was '${lastStatus}'`);
  });
  ok(`GET ${databasePath} says ready (provisioned on the local cluster)`);

  const entityRef = `resource:default/payments-${name}`;
  await until(`${entityRef} in the catalog`, 90_000, async () => {
    const { status } = await api(
      `/api/catalog/entities/by-name/resource/default/payments-${name}`,
      { token },
    );
    return status === 200 ? true : undefined;
  });
  ok(`${entityRef} is in the catalog (catalog module)`);

  await browserCheck(
    baseUrl,
    `/catalog/default/resource/payments-${name}/database`,
  );
}

async function browserCheck(baseUrl: string, path: string) {
  // playwright-core resolves from the monorepo (a dev dependency of
  // packages/app): the adopter's app itself does not need it.
  const { launchChromium } = await import(
    '../../packages/app/e2e-tests/launchChromium.ts'
  );
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  try {
    await page.goto(`${baseUrl}${path}`);
    // The app's default sign-in page: the guest provider's card.
    await page
      .getByRole('button', { name: 'Enter' })
      .click({ timeout: 60_000 });
    const status = page.getByTestId('dbaas-status');
    await status.waitFor({ timeout: 60_000 });
    await until('the status card to say ready', 30_000, async () =>
      (await status.innerText()).includes('ready') ? true : undefined,
    );
    ok(`the Database tab (${path}) renders its status card in Chromium`);
  } catch (error) {
    const dir = process.env.ADOPTER_SCREENSHOTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      await page
        .screenshot({ path: join(dir, 'database-tab.png'), fullPage: true })
        .catch(() => {});
      console.error(`  screenshot: ${join(dir, 'database-tab.png')}`);
    }
    throw error;
  } finally {
    await browser.close();
  }
}

// ----------------------------------------------------------------- main ---

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'guide' && args.length === 3) {
    guide(args[0], args[1], args[2]);
  } else if (mode === 'flow' && args.length === 1) {
    await flow(args[0].replace(/\/$/, ''));
  } else {
    fail(
      'usage: adopter-checks.ts guide README SKELETON PLUGINS | flow BASE_URL',
    );
  }
}

main().catch(error => {
  console.error(`  FAILED  ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
