import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { LocalGitAppsRepository } from '@dbaas/plugin-dbaas-node';
import {
  createContext,
  createEnvironment,
  createLocalAppsRepo,
} from '../__testUtils__/actionTestEnvironment';
import { createDbaasDatabaseCreateAction } from './createDatabase';

const LEDGER_VALUES = `# Databases of payments/ledger
postgresqlDatabases:
  - name: ledger
    mode: protected
`;

describe('dbaas:database:create on a local apps repository', () => {
  let repo: Awaited<ReturnType<typeof createLocalAppsRepo>>;

  beforeEach(async () => {
    repo = await createLocalAppsRepo([
      { path: 'payments/ledger/values.yaml', content: LEDGER_VALUES },
      {
        path: 'a/b-c/values.yaml',
        content: 'postgresqlDatabases:\n  - name: b-c\n',
      },
      {
        path: 'payments/broken/values.yaml',
        content: 'postgresqlDatabases: {name: [oops\n',
      },
    ]);
  });

  afterEach(() => repo.cleanup());

  function run(
    input: Record<string, unknown>,
    options: Parameters<typeof createContext>[1] & {
      env?: Parameters<typeof createEnvironment>[1];
    } = {},
  ) {
    const action = createDbaasDatabaseCreateAction(
      createEnvironment(repo.repo, options.env),
    );
    const ctx = createContext(input as any, options);
    return { ctx, done: action.handler(ctx as any) };
  }

  it('adds the folder with both files and merges it, with the outputs', async () => {
    const { ctx, done } = run({
      namespace: 'payments',
      name: 'payouts',
      slackChannel: 'payments-alerts',
    });
    await done;
    expect(repo.show('payments/payouts/values.yaml')).toBe(
      [
        '# PostgreSQL databases of this folder, managed by the dbaas self-service.',
        '# Each entry creates the database <namespace>-<name> with the roles',
        '# <namespace>-<name>-read, -write and -admin and their secrets.',
        '# mode: standard | protected (protected = deletion protection: removing',
        '# the entry leaves the data in the cluster).',
        'postgresqlDatabases:',
        '  - name: payouts',
        '    mode: standard',
        '',
      ].join('\n'),
    );
    expect(repo.show('payments/payouts/application.yaml')).toBe(
      [
        'apiVersion: v2',
        'name: payouts',
        'description: payouts',
        'version: 0.1.0',
        'slackChannel: payments-alerts',
        'helm:',
        '  chart: helm/idp-postgresql',
        '  chartVersion: "1.0.1"',
        '',
      ].join('\n'),
    );
    expect(ctx.outputs).toEqual({
      // The local repository's change has no page of its own: the
      // database's portal page lists it (never a file:// URL).
      pullRequestUrl: expect.stringMatching(
        /^\/dbaas\/databases\/payments\/payouts\?change=[0-9a-f]{40}$/,
      ),
      pullRequestNumber: expect.any(Number),
      branchName: 'dbaas/create/payments/payouts',
      databaseName: 'payments-payouts',
      entityRef: 'resource:default/payments-payouts',
    });
    expect(repo.git('log', '-1', '--format=%B', 'main')).toContain(
      'Add PostgreSQL database payments-payouts',
    );
  });

  it('adds to an existing folder keeping its comments, without application.yaml', async () => {
    await run({
      namespace: 'payments',
      name: 'ledger-archive',
      folder: 'ledger',
      mode: 'protected',
    }).done;
    expect(repo.show('payments/ledger/values.yaml')).toBe(
      `${LEDGER_VALUES}  - name: ledger-archive\n    mode: protected\n`,
    );
    expect(() => repo.show('payments/ledger/application.yaml')).toThrow();
  });

  it('outputs the diff in a dry run and writes nothing', async () => {
    const before = repo.head();
    const { ctx, done } = run(
      { namespace: 'payments', name: 'payouts' },
      { isDryRun: true },
    );
    await done;
    expect(repo.head()).toBe(before);
    expect(ctx.outputs.pullRequestUrl).toBe('');
    expect(ctx.outputs.diff).toContain('+++ b/payments/payouts/values.yaml');
    expect(ctx.outputs.diff).toContain('+  - name: payouts');
    expect(ctx.outputs.diff).toContain('--- /dev/null');
  });

  it.each([
    ['../../clusters/prod/x'],
    ['a/b'],
    ['.'],
    [''],
    ['Ledger'],
    ['"'],
    [';'],
    ['x\ny'],
    ['key: value'],
  ])(
    'refuses the name %j with the rule broken and touches nothing',
    async name => {
      const before = repo.head();
      await expect(run({ namespace: 'payments', name }).done).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(
            /may only contain|is required|must start/,
          ),
        }),
      );
      expect(repo.head()).toBe(before);
      expect(repo.git('branch', '--list', 'dbaas/*')).toBe('');
    },
  );

  it('refuses a name over the 63-byte limit, never truncating', async () => {
    const name = `d${'é'.repeat(30)}`;
    await expect(run({ namespace: 'payments', name }).done).rejects.toThrow(
      /may only contain/,
    );
    const long = `d${'a'.repeat(50)}`;
    await expect(
      run({ namespace: 'payments', name: long }).done,
    ).rejects.toThrow(/would be 66 bytes long, over the 63-byte limit/);
  });

  it('refuses a collision, naming both databases', async () => {
    await expect(run({ namespace: 'a-b', name: 'c' }).done).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          '`a-b`/`c` would create database `a-b-c`, which `a`/`b-c` already uses',
      }),
    );
  });

  it('refuses a database that exists, pointing at it', async () => {
    await expect(
      run({ namespace: 'payments', name: 'ledger' }).done,
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          '`payments`/`ledger` already exists: `defined in payments/ledger/values.yaml on main`',
      }),
    );
  });

  it.each([['kube-system'], ['argocd'], ['default']])(
    'refuses the reserved namespace %s with 403',
    async namespace => {
      await expect(run({ namespace, name: 'db' }).done).rejects.toThrow(
        expect.objectContaining({
          name: 'NotAllowedError',
          message: expect.stringContaining('reserved namespace'),
        }),
      );
    },
  );

  it("refuses a namespace the user's groups don't own", async () => {
    await expect(
      run({ namespace: 'checkout', name: 'carts' }).done,
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          "Namespace 'checkout' belongs to group:default/checkout; none of your groups owns it",
      }),
    );
    await expect(
      run({ namespace: 'marketing', name: 'leads' }).done,
    ).rejects.toThrow(/'marketing' is not a known tenant/);
  });

  it('refuses when the policy denies dbaas.database.create', async () => {
    await expect(
      run(
        { namespace: 'payments', name: 'payouts' },
        { env: { permission: AuthorizeResult.DENY } },
      ).done,
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message: expect.stringContaining('dbaas.database.create'),
      }),
    );
  });

  it('fails clearly on a malformed values.yaml and leaves the repo as it was', async () => {
    const before = repo.head();
    await expect(
      run({ namespace: 'payments', name: 'extra', folder: 'broken' }).done,
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining('payments/broken/values.yaml'),
      }),
    );
    expect(repo.head()).toBe(before);
  });

  it('makes one commit when a recovered task runs again', async () => {
    const store = new Map<string, unknown>();
    const first = run({ namespace: 'payments', name: 'payouts' }, { store });
    await first.done;
    const head = repo.head();
    const second = run({ namespace: 'payments', name: 'payouts' }, { store });
    await second.done;
    expect(repo.head()).toBe(head);
    expect(second.ctx.outputs).toEqual(first.ctx.outputs);
  });

  it('refuses a second task for the same database (double click) as a duplicate', async () => {
    await run({ namespace: 'payments', name: 'payouts' }, { taskId: 't1' })
      .done;
    await expect(
      run({ namespace: 'payments', name: 'payouts' }, { taskId: 't2' }).done,
    ).rejects.toThrow(/already exists/);
  });

  it.each([
    ['one repository instance', false],
    ['two replicas sharing the repository', true],
  ])(
    'merges one of two tasks started at once for the same database (%s); the other is refused naming the merge',
    async (_, replicas) => {
      const before = Number(repo.git('rev-list', '--count', 'main'));
      const input = { namespace: 'payments', name: 'payouts' };
      const start = (taskId: string) => {
        const appsRepo = replicas
          ? new LocalGitAppsRepository({ path: repo.path })
          : repo.repo;
        const ctx = createContext(input as any, { taskId });
        return {
          ctx,
          done: createDbaasDatabaseCreateAction(
            createEnvironment(appsRepo),
          ).handler(ctx as any),
        };
      };
      const a = start('t1');
      const b = start('t2');
      const settled = await Promise.allSettled([a.done, b.done]);
      const refused = settled.flatMap(o =>
        o.status === 'rejected' ? [o.reason] : [],
      );
      expect(refused).toHaveLength(1);
      // Refused by the branch (both passed the check at once), or by the
      // check when the other task had merged already: either way it says
      // where the database is.
      const merged = [a, b].find(r => r.ctx.outputs.pullRequestUrl)!;
      const mergedCommit = String(merged.ctx.outputs.pullRequestUrl).split(
        'change=',
      )[1];
      expect(refused[0].name).toBe('ConflictError');
      expect(refused[0].message).toMatch(
        new RegExp(
          `already defined in payments/payouts/values.yaml \\(dbaas/create/payments/payouts was merged for another request as file://[^ ]*#${mergedCommit}\\)|already exists: .defined in payments/payouts/values.yaml on main`,
        ),
      );
      expect(Number(repo.git('rev-list', '--count', 'main'))).toBe(before + 1);
      expect(repo.show('payments/payouts/values.yaml').match(/name:/g)).toEqual(
        ['name:'],
      );
    },
  );

  it('keeps both entries when two requests add to one values.yaml at once', async () => {
    await Promise.all([
      run(
        { namespace: 'payments', name: 'ledger-eu', folder: 'ledger' },
        { taskId: 't1' },
      ).done,
      run(
        { namespace: 'payments', name: 'ledger-us', folder: 'ledger' },
        { taskId: 't2' },
      ).done,
    ]);
    const values = repo.show('payments/ledger/values.yaml');
    expect(values).toContain('- name: ledger\n');
    expect(values).toContain('- name: ledger-eu\n');
    expect(values).toContain('- name: ledger-us\n');
  });
});
