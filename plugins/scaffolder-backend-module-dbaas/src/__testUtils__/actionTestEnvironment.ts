import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import { DEFAULT_RESERVED_NAMESPACES } from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  ConfigTenantDirectory,
  DatabaseRequestChecker,
  GitopsSettings,
  initLocalAppsRepository,
  LocalGitAppsRepository,
  RepoFile,
} from '@dbaas/plugin-dbaas-node';
import { ConfigReader } from '@backstage/config';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbaasActionEnvironment } from '../actions';

export const SETTINGS: GitopsSettings = {
  provider: 'local',
  basePath: '',
  baseBranch: 'main',
  chartVersion: '1.0.1',
  protectedDatabases: {
    labels: ['protected-database'],
    reviewers: [],
    teamReviewers: ['platform'],
  },
};

/** A real git apps repository in a temp directory. */
export async function createLocalAppsRepo(files: RepoFile[]) {
  const path = await mkdtemp(join(tmpdir(), 'dbaas-actions-'));
  await initLocalAppsRepository({ path, files });
  const gitRaw = (...args: string[]) =>
    execFileSync('git', args, { cwd: path, encoding: 'utf8' });
  const git = (...args: string[]) => gitRaw(...args).trim();
  return {
    path,
    repo: new LocalGitAppsRepository({ path }),
    git,
    /** A file on main, byte for byte. */
    show: (file: string) => gitRaw('show', `main:${file}`),
    head: () => git('rev-parse', 'main'),
    cleanup: () => rm(path, { recursive: true, force: true }),
  };
}

export function createEnvironment(
  appsRepo: AppsRepository,
  options: {
    ownership?: string[];
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    settings?: GitopsSettings;
    /** How the dbaas backend is asked (see `DbaasBackendClient`). */
    checkWithInventory?: DbaasActionEnvironment['checkWithInventory'];
  } = {},
): DbaasActionEnvironment {
  const settings = options.settings ?? SETTINGS;
  return {
    settings,
    reservedNamespaces: DEFAULT_RESERVED_NAMESPACES,
    appsRepoFor: () => appsRepo,
    checkWithInventory: options.checkWithInventory,
    checkerFor: repo =>
      new DatabaseRequestChecker({
        appsRepo: repo,
        basePath: settings.basePath,
        reservedNamespaces: DEFAULT_RESERVED_NAMESPACES,
      }),
    tenants: ConfigTenantDirectory.fromConfig(
      new ConfigReader({
        dbaas: {
          tenants: [
            { namespace: 'payments', owner: 'group:default/payments' },
            { namespace: 'a', owner: 'group:default/payments' },
            { namespace: 'a-b', owner: 'group:default/payments' },
            { namespace: 'checkout', owner: 'group:default/checkout' },
            { namespace: 'argocd', owner: 'group:default/platform' },
          ],
        },
      }),
    ),
    permissions: mockServices.permissions({
      result: options.permission ?? AuthorizeResult.ALLOW,
    }),
    userInfo: mockServices.userInfo({
      ownershipEntityRefs: options.ownership ?? [
        'user:default/ana',
        'group:default/payments',
      ],
    }),
  };
}

/**
 * An action context whose checkpoints persist in `store`, as the
 * scaffolder's task state does, so a second run with the same store is a
 * recovered task.
 */
export function createContext<T extends JsonObject>(
  input: T,
  options: {
    taskId?: string;
    isDryRun?: boolean;
    store?: Map<string, unknown>;
    /** E.g. `mockServices.logger.mock()`, to look at what was logged. */
    logger?: any;
  } = {},
): ActionContext<T, any> & { outputs: Record<string, unknown> } {
  const outputs: Record<string, unknown> = {};
  const store = options.store ?? new Map<string, unknown>();
  const base = createMockActionContext<T>({
    input,
    task: { id: options.taskId ?? 'task-0001' },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    ...base,
    isDryRun: options.isDryRun,
    user: { ref: 'user:default/ana' },
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    async checkpoint({ key, fn }: { key: string; fn: () => Promise<unknown> }) {
      if (store.has(key)) {
        return store.get(key) as any;
      }
      const value = await fn();
      store.set(key, value);
      return value;
    },
    outputs,
  } as any;
}
