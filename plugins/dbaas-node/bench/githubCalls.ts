/*
 * GitHub API calls and wall time of one "create database" pull request
 * (payments/ledger/values.yaml + application.yaml, a new folder), by the
 * suite's GitHubAppsRepository and by Backstage's publish:github:pull-request
 * action, against the same fake GitHub with a simulated round trip per call.
 * Ours is what `dbaas:database:create` calls: its uniqueness check is
 * answered by the dbaas backend's inventory (no GitHub call), which hands
 * over the base head it last read; the change is built on that head. The
 * inventory's own read happens before the clock starts and is not counted.
 * (createDatabase.github.test.ts in the scaffolder module counts the whole
 * action with the real dbaas backend.)
 *
 * Needs jest (createMockActionContext uses jest.fn): run it through
 * githubCalls.bench.ts, see the README.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { Octokit } from '@octokit/rest';
import { GitHubAppsRepository } from '../src/appsRepo/github';
import type { AppsRepoChange, FileEdit } from '../src/appsRepo/types';
import { createDatabaseEdit } from '../src/definitions';
import { FakeGitHub } from '../src/testUtils';

const OWNER = 'acme';
const REPO = 'apps';
const SEED = {
  'README.md': '# apps\n',
  'payments/billing/values.yaml':
    'postgresqlDatabases:\n  - name: billing\n    mode: protected\n',
  'payments/billing/application.yaml':
    'apiVersion: v2\nname: billing\ndescription: billing\nversion: 0.1.0\nhelm:\n  chart: helm/idp-postgresql\n  chartVersion: "1.0.1"\n',
};

export interface BenchResult {
  name: string;
  calls: string[];
  wallMs: number;
  files: Record<string, string | undefined>;
}

function ledgerChange(branchName: string): AppsRepoChange {
  return {
    branchName,
    title: 'Create database payments/ledger',
    body: 'Adds PostgreSQL database `payments-ledger`.',
    commitMessage: 'Create database payments/ledger',
    edit: createDatabaseEdit({
      basePath: '',
      namespace: 'payments',
      folder: 'ledger',
      name: 'ledger',
      chartVersion: '1.0.1',
      slackChannel: 'payments',
    }),
  };
}

async function withFake<T>(
  latencyMs: number,
  fn: (fake: FakeGitHub) => Promise<T>,
): Promise<T> {
  const fake = await FakeGitHub.start();
  try {
    fake.seedRepo(OWNER, REPO, { files: SEED });
    fake.latencyMs = latencyMs;
    return await fn(fake);
  } finally {
    await fake.stop();
  }
}

function filesOf(fake: FakeGitHub, branch: string, edits: FileEdit[]) {
  return Object.fromEntries(
    edits.map(e => [e.path, fake.readFile(OWNER, REPO, branch, e.path)]),
  );
}

/** The two files the change writes, computed on the seed. */
export async function expectedEdits(): Promise<FileEdit[]> {
  return ledgerChange('dbaas/x').edit(async path =>
    path in SEED ? SEED[path as keyof typeof SEED] : undefined,
  );
}

export async function benchOurs(latencyMs: number): Promise<BenchResult> {
  const edits = await expectedEdits();
  return withFake(latencyMs, async fake => {
    const repo = new GitHubAppsRepository({
      octokit: new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'bench' }),
      owner: OWNER,
      repo: REPO,
    });
    // The inventory's read of the base branch (its sync, not the action's).
    await repo.listDefinitionFiles();
    fake.clearRequests();
    const branch = 'dbaas/create/payments/ledger';
    const started = performance.now();
    await repo.proposeChange({
      ...ledgerChange(branch),
      taskId: 'bench',
      baseSha: repo.listedBaseSha,
    });
    const wallMs = performance.now() - started;
    return {
      name: 'dbaas:database:create',
      calls: fake.requests.map(r => `${r.method} ${r.path}`),
      wallMs,
      files: filesOf(fake, branch, edits),
    };
  });
}

export async function benchCoreAction(latencyMs: number): Promise<BenchResult> {
  const edits = await expectedEdits();
  const workspace = await mkdtemp(join(tmpdir(), 'dbaas-bench-'));
  try {
    // The action copies the workspace into targetPath.
    for (const edit of edits) {
      const file = join(
        workspace,
        edit.path.replace(/^payments\/ledger\//, ''),
      );
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, edit.content ?? '');
    }
    return await withFake(latencyMs, async fake => {
      const config = new ConfigReader({
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 'bench' },
          ],
        },
      });
      const integrations = ScmIntegrations.fromConfig(config);
      const action = createPublishGithubPullRequestAction({
        integrations,
        githubCredentialsProvider:
          DefaultGithubCredentialsProvider.fromIntegrations(integrations),
        config,
      });
      const branch = 'core/create/payments/ledger';
      const ctx = createMockActionContext({
        input: {
          repoUrl: `github.com?owner=${OWNER}&repo=${REPO}`,
          branchName: branch,
          title: 'Create database payments/ledger',
          description: 'Adds PostgreSQL database `payments-ledger`.',
          targetPath: 'payments/ledger',
          commitMessage: 'Create database payments/ledger',
        },
        workspacePath: workspace,
      });
      const started = performance.now();
      await action.handler(ctx as any);
      const wallMs = performance.now() - started;
      return {
        name: 'publish:github:pull-request',
        calls: fake.requests.map(r => `${r.method} ${r.path}`),
        wallMs,
        files: filesOf(fake, branch, edits),
      };
    });
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

export function formatTable(latencyMs: number, results: BenchResult[]): string {
  const rows = results.map(
    r =>
      `| ${r.name.padEnd(36)} | ${String(r.calls.length).padStart(
        9,
      )} | ${r.wallMs.toFixed(0).padStart(13)} |`,
  );
  const details = results.map(
    r =>
      `\n${r.name}:\n${r.calls.map((c, i) => `  ${i + 1}. ${c}`).join('\n')}`,
  );
  return [
    `GitHub calls for one "create database" PR (payments/ledger: values.yaml + application.yaml), ${latencyMs} ms simulated latency per call, median wall time`,
    `| ${'implementation'.padEnd(36)} | API calls | wall time, ms |`,
    `|${'-'.repeat(38)}|${'-'.repeat(11)}|${'-'.repeat(15)}|`,
    ...rows,
    ...details,
  ].join('\n');
}
