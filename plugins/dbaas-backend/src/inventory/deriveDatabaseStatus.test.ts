import type { ObservedDatabase } from '@dbaas/plugin-dbaas-node';
import { AURORA_PROVISIONING } from '../providers/auroraClusterProvider';
import { LOCAL_PROVISIONING } from '../providers/localClusterProvider';
import {
  DatabaseChangeFacts,
  DatabaseStatusInput,
  deriveDatabaseStatus,
  isOwnedBySuite,
} from './deriveDatabaseStatus';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function change(
  kind: DatabaseChangeFacts['kind'],
  state: DatabaseChangeFacts['state'],
  number: number,
  createdMinutesAgo = 60,
  mergedMinutesAgo?: number,
): DatabaseChangeFacts {
  return {
    number,
    url: `https://github.com/acme/apps/pull/${number}`,
    kind,
    state,
    createdAt: minutesAgo(createdMinutesAgo).toISOString(),
    updatedAt: minutesAgo(mergedMinutesAgo ?? createdMinutesAgo).toISOString(),
    ...(state === 'merged' && {
      mergedAt: minutesAgo(mergedMinutesAgo ?? createdMinutesAgo).toISOString(),
    }),
  };
}

function observed(
  parts: {
    read?: boolean;
    write?: boolean;
    admin?: boolean;
    owns?: boolean;
  } = {},
): ObservedDatabase {
  return {
    databaseName: 'payments-ledger',
    sizeBytes: 8_000_000,
    roles: {
      read: parts.read ?? true,
      write: parts.write ?? true,
      admin: parts.admin ?? true,
    },
    adminOwnsPublicSchema: parts.owns ?? true,
    connections: 0,
  };
}

const complete = observed();
const noRoles = observed({
  read: false,
  write: false,
  admin: false,
  owns: false,
});
const notOwned = observed({ owns: false });

const defined = {
  mode: 'standard' as const,
  folderPath: 'apps/payments/ledger',
};
const local = {
  name: 'dev',
  provisioning: LOCAL_PROVISIONING,
  reachable: true,
};
const aurora = {
  name: 'prod',
  provisioning: AURORA_PROVISIONING,
  reachable: true,
};
const localDown = { ...local, reachable: false };
const auroraDown = { ...aurora, reachable: false };

type Case = {
  rule: string;
  input: Partial<DatabaseStatusInput>;
  status: string;
  reason?: RegExp;
};

const cases: Case[] = [
  // 1. unreachable cluster, known database: previous status, whatever changed
  {
    rule: '1 unreachable cluster keeps the previous status (ready, defined)',
    input: {
      defined,
      cluster: localDown,
      previous: {
        status: 'ready',
        statusReason: 'was ready',
        mode: 'standard',
        managedSince: minutesAgo(600),
      },
    },
    status: 'ready',
    reason: /^was ready$/,
  },
  {
    rule: '1 unreachable cluster keeps the previous status even when the definition is gone (no deleted, no failed)',
    input: {
      cluster: auroraDown,
      previous: {
        status: 'ready',
        statusReason: 'all there',
        mode: 'standard',
        managedSince: minutesAgo(600),
      },
    },
    status: 'ready',
    reason: /^all there$/,
  },
  {
    rule: '1 unreachable cluster keeps provisioning long after the merge (aurora, no failed)',
    input: {
      defined,
      changes: [change('create', 'merged', 1, 120, 100)],
      cluster: auroraDown,
      previous: {
        status: 'provisioning',
        statusReason: 'waiting for roles',
        mode: 'standard',
        managedSince: minutesAgo(100),
      },
    },
    status: 'provisioning',
    reason: /^waiting for roles$/,
  },
  // 2. defined + open delete PR
  {
    rule: '2 defined with an open delete PR -> deletion-requested',
    input: {
      defined,
      changes: [
        change('create', 'merged', 1, 900),
        change('delete', 'open', 5, 10),
      ],
      cluster: local,
      observed: complete,
      previous: {
        status: 'ready',
        mode: 'standard',
        managedSince: minutesAgo(800),
      },
    },
    status: 'deletion-requested',
    reason: /#5.*to remove it is open/,
  },
  {
    rule: '2 defined protected with an open delete PR -> deletion-requested',
    input: {
      defined: { ...defined, mode: 'protected' },
      changes: [change('delete', 'open', 6, 10)],
      cluster: aurora,
      observed: complete,
    },
    status: 'deletion-requested',
  },
  {
    rule: '2 defined with a closed (unmerged) delete PR stays ready',
    input: {
      defined,
      changes: [change('delete', 'closed', 6, 10)],
      cluster: aurora,
      observed: complete,
    },
    status: 'ready',
  },
  // 3. no cluster
  {
    rule: '3 defined but no configured cluster takes the namespace -> failed',
    input: { defined },
    status: 'failed',
    reason: /no cluster in dbaas\.clusters takes namespace payments/,
  },
  // 4. unreachable, new database
  {
    rule: '4 defined, unreachable cluster, never seen before -> merged',
    input: {
      defined,
      changes: [change('create', 'merged', 1, 30, 5)],
      cluster: localDown,
    },
    status: 'merged',
    reason: /cluster dev cannot be reached/,
  },
  // 5. provisioner error
  {
    rule: '5 defined, provisioner reported an error -> failed with it as reason',
    input: {
      defined,
      cluster: local,
      observed: noRoles,
      provisioningError:
        'provisioning failed: permission denied to create role',
    },
    status: 'failed',
    reason: /^provisioning failed: permission denied to create role$/,
  },
  {
    rule: '5 defined, provisioner error wins over a complete database',
    input: {
      defined,
      cluster: local,
      observed: complete,
      provisioningError: 'provisioning failed: secret store unavailable',
    },
    status: 'failed',
  },
  // 6. ready
  {
    rule: '6 defined, database + 3 roles + admin owns schema public -> ready (local)',
    input: { defined, cluster: local, observed: complete },
    status: 'ready',
    reason: /exist in cluster dev/,
  },
  {
    rule: '6 defined, complete -> ready (aurora, long after the merge)',
    input: {
      defined,
      changes: [change('create', 'merged', 1, 900, 800)],
      cluster: aurora,
      observed: complete,
    },
    status: 'ready',
  },
  {
    rule: '6 orphaned database defined again -> ready, back under management',
    input: {
      defined: { ...defined, mode: 'protected' },
      cluster: local,
      observed: complete,
      previous: {
        status: 'orphaned',
        mode: 'protected',
        managedSince: minutesAgo(1000),
      },
    },
    status: 'ready',
    reason: /back under management, data kept/,
  },
  {
    rule: '6 unmanaged database now defined -> ready, brought under management',
    input: {
      defined,
      cluster: aurora,
      observed: complete,
      previous: { status: 'unmanaged', mode: 'standard' },
    },
    status: 'ready',
    reason: /brought under management/,
  },
  {
    rule: '6 restored copy whose keep pull request merged -> ready, an ordinary database',
    input: {
      defined,
      cluster: local,
      observed: complete,
      previous: { status: 'restored', mode: 'standard' },
    },
    status: 'ready',
    reason: /restored copy now defined in .*: an ordinary database, data kept/,
  },
  // 7. incomplete
  {
    rule: '7 defined, database exists without roles -> provisioning',
    input: { defined, cluster: local, observed: noRoles },
    status: 'provisioning',
    reason:
      /waiting for role payments-ledger-read, role payments-ledger-write, role payments-ledger-admin, payments-ledger-admin owning schema public/,
  },
  {
    rule: '7 defined, roles exist but admin does not own schema public -> provisioning',
    input: {
      defined,
      cluster: aurora,
      changes: [change('create', 'merged', 1, 10, 5)],
      observed: notOwned,
    },
    status: 'provisioning',
    reason: /waiting for payments-ledger-admin owning schema public$/,
  },
  {
    rule: '7 aurora, incomplete 15 minutes after the merge -> failed',
    input: {
      defined,
      cluster: aurora,
      changes: [change('create', 'merged', 1, 30, 15)],
      observed: notOwned,
    },
    status: 'failed',
    reason:
      /not ready 15 minutes after it was merged in pull request #1.*missing payments-ledger-admin owning schema public/,
  },
  {
    rule: '7 local, incomplete long after the merge stays provisioning (the provisioner reports errors)',
    input: {
      defined,
      cluster: local,
      changes: [change('create', 'merged', 1, 300, 200)],
      observed: notOwned,
    },
    status: 'provisioning',
  },
  // 8. not in cluster
  {
    rule: '8 defined, not in cluster, just merged -> merged (waiting for the provisioner)',
    input: {
      defined,
      cluster: local,
      changes: [change('create', 'merged', 1, 10, 1)],
    },
    status: 'merged',
    reason: /merged in pull request #1 .*waiting for the provisioner/,
  },
  {
    rule: '8 defined, not in cluster, merged 14 minutes ago -> merged (waiting for ArgoCD)',
    input: {
      defined,
      cluster: aurora,
      changes: [change('create', 'merged', 1, 30, 14)],
    },
    status: 'merged',
    reason: /waiting for ArgoCD and the chart/,
  },
  {
    rule: '8 aurora, not in cluster 15 minutes after the merge -> failed',
    input: {
      defined,
      cluster: aurora,
      changes: [change('create', 'merged', 1, 30, 15)],
    },
    status: 'failed',
    reason:
      /no database in cluster prod 15 minutes after it was merged in pull request #1/,
  },
  {
    rule: '8 aurora, the timeout is configurable',
    input: {
      defined,
      cluster: aurora,
      changes: [change('create', 'merged', 1, 30, 15)],
      failAfterMinutes: 60,
    },
    status: 'merged',
  },
  {
    rule: '8 aurora, without a PR the wait counts from when the definition appeared',
    input: {
      defined,
      cluster: aurora,
      previous: {
        status: 'merged',
        mode: 'standard',
        managedSince: minutesAgo(20),
      },
    },
    status: 'failed',
    reason: /defined in apps\/payments\/ledger/,
  },
  {
    rule: '8 aurora, defined again after its deletion: the wait restarts',
    input: {
      defined,
      cluster: aurora,
      changes: [change('create', 'merged', 1, 9000, 9000)],
      previous: {
        status: 'merged',
        mode: 'standard',
        managedSince: minutesAgo(2),
      },
    },
    status: 'merged',
  },
  {
    rule: '8 defined, not in cluster, previously ready (dropped by hand) -> merged again (local re-provisions)',
    input: {
      defined,
      cluster: local,
      previous: {
        status: 'ready',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'merged',
  },
  // 9. requested
  {
    rule: '9 open create PR, not defined -> requested',
    input: { changes: [change('create', 'open', 3, 5)], cluster: local },
    status: 'requested',
    reason: /pull request #3 .* is open/,
  },
  {
    rule: '9 open create PR after an earlier one was closed -> requested again',
    input: {
      changes: [
        change('create', 'closed', 2, 100),
        change('create', 'open', 3, 5),
      ],
      cluster: aurora,
      previous: { status: 'abandoned', mode: 'standard' },
    },
    status: 'requested',
  },
  {
    rule: '9 open create PR for a database already in the cluster (adoption) -> requested',
    input: {
      changes: [change('create', 'open', 3, 5)],
      cluster: aurora,
      observed: complete,
      previous: { status: 'unmanaged', mode: 'standard' },
    },
    status: 'requested',
  },
  {
    rule: '9 open create PR with no cluster configured -> requested',
    input: { changes: [change('create', 'open', 3, 5)] },
    status: 'requested',
  },
  {
    rule: '9 open create PR, unreachable cluster, new database -> requested',
    input: { changes: [change('create', 'open', 3, 5)], cluster: localDown },
    status: 'requested',
  },
  // 10. orphaned
  {
    rule: '10 protected, removed from the repo, still in cluster -> orphaned',
    input: {
      changes: [change('delete', 'merged', 9, 30, 10)],
      cluster: aurora,
      observed: complete,
      previous: {
        status: 'deletion-requested',
        mode: 'protected',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'orphaned',
    reason:
      /protected database removed from the apps repository in pull request #9.*data stays in cluster prod/,
  },
  {
    rule: '10 orphaned stays orphaned while in cluster',
    input: {
      cluster: local,
      observed: complete,
      previous: {
        status: 'orphaned',
        mode: 'protected',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'orphaned',
  },
  // 11/12. standard removal
  {
    rule: '12 standard, removed from the repo, still in cluster -> deletion-requested (being dropped)',
    input: {
      changes: [change('delete', 'merged', 9, 30, 1)],
      cluster: local,
      observed: complete,
      previous: {
        status: 'ready',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'deletion-requested',
    reason: /being dropped from cluster dev/,
  },
  {
    rule: '11 standard, removed, the drop failed -> failed with the error',
    input: {
      cluster: local,
      observed: complete,
      previous: {
        status: 'deletion-requested',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
      provisioningError:
        'drop failed: database is being accessed by other users',
    },
    status: 'failed',
    reason: /^drop failed: database is being accessed/,
  },
  // 13a. restored copy
  {
    rule: '13a a new-database restore created it -> restored, with its origin and expiry',
    input: {
      cluster: local,
      observed: complete,
      previous: { status: 'unmanaged', mode: 'standard' },
      restoredCopy: {
        restoreId: 'r1',
        source: {
          namespace: 'payments',
          name: 'orders',
          databaseName: 'payments-orders',
        },
        snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
        state: 'expiring',
        expiresAt: '2026-12-03T10:00:00.000Z',
      },
    },
    status: 'restored',
    reason:
      /^restored from payments\/orders at 2026-11-26T02:00:00.000Z; dropped at 2026-12-03T10:00:00.000Z unless kept$/,
  },
  {
    rule: '13a a copy restored before copies expired -> restored, no expiry',
    input: {
      cluster: local,
      observed: complete,
      restoredCopy: {
        restoreId: 'r1',
        source: {
          namespace: 'payments',
          name: 'orders',
          databaseName: 'payments-orders',
        },
        snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
        state: 'expiring',
      },
    },
    status: 'restored',
    reason: /not in the apps repository \(restored before copies expired\)$/,
  },
  {
    rule: '9 before 13a: a kept copy whose pull request is open -> requested',
    input: {
      changes: [change('create', 'open', 7, 5)],
      cluster: local,
      observed: complete,
      previous: { status: 'restored', mode: 'standard' },
      restoredCopy: {
        restoreId: 'r1',
        source: {
          namespace: 'payments',
          name: 'orders',
          databaseName: 'payments-orders',
        },
        snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
        state: 'kept',
      },
    },
    status: 'requested',
  },
  // 13. unmanaged
  {
    rule: '13 never defined, no PR, in cluster -> unmanaged',
    input: { cluster: aurora, observed: complete },
    status: 'unmanaged',
    reason: /found in cluster prod, not defined/,
  },
  {
    rule: '13 deleted earlier, re-created by hand in the cluster -> unmanaged (never dropped again)',
    input: {
      cluster: local,
      observed: complete,
      previous: {
        status: 'deleted',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'unmanaged',
  },
  {
    rule: '13 create PR closed unmerged but the database is in the cluster -> unmanaged',
    input: {
      changes: [change('create', 'closed', 4, 60)],
      cluster: aurora,
      observed: complete,
    },
    status: 'unmanaged',
  },
  {
    rule: '13 unmanaged stays unmanaged while in cluster',
    input: {
      cluster: local,
      observed: complete,
      previous: { status: 'unmanaged', mode: 'standard' },
    },
    status: 'unmanaged',
  },
  // 14. abandoned
  {
    rule: '14 latest create PR closed unmerged, not defined, not in cluster -> abandoned',
    input: {
      changes: [change('create', 'closed', 4, 60)],
      cluster: local,
      previous: { status: 'requested', mode: 'standard' },
    },
    status: 'abandoned',
    reason: /pull request #4 .* was closed without merging/,
  },
  {
    rule: '14 abandoned stays abandoned',
    input: {
      changes: [change('create', 'closed', 4, 60)],
      cluster: aurora,
      previous: { status: 'abandoned', mode: 'standard' },
    },
    status: 'abandoned',
  },
  {
    rule: '14 a newer closed create PR after a deletion -> abandoned',
    input: {
      changes: [
        change('create', 'merged', 1, 9000),
        change('delete', 'merged', 2, 5000),
        change('create', 'closed', 3, 60),
      ],
      cluster: aurora,
      previous: {
        status: 'deleted',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'abandoned',
  },
  // 15. deleted
  {
    rule: '15 standard, removed and gone from the cluster -> deleted',
    input: {
      changes: [
        change('create', 'merged', 1, 9000),
        change('delete', 'merged', 9, 30, 5),
      ],
      cluster: local,
      previous: {
        status: 'deletion-requested',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'deleted',
    reason:
      /removed from the apps repository in pull request #9 .*and gone from cluster dev/,
  },
  {
    rule: '15 protected orphan dropped by hand -> deleted',
    input: {
      cluster: aurora,
      previous: {
        status: 'orphaned',
        mode: 'protected',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'deleted',
  },
  {
    rule: '15 restored copy dropped -> deleted',
    input: {
      cluster: aurora,
      previous: { status: 'restored', mode: 'standard' },
    },
    status: 'deleted',
    reason: /^restored copy dropped: no longer in cluster prod$/,
  },
  {
    rule: '15 unmanaged database gone from the cluster -> deleted',
    input: {
      cluster: aurora,
      previous: { status: 'unmanaged', mode: 'standard' },
    },
    status: 'deleted',
    reason: /no longer in cluster prod/,
  },
  {
    rule: '15 deleted stays deleted',
    input: {
      changes: [change('delete', 'merged', 9, 300)],
      cluster: aurora,
      previous: {
        status: 'deleted',
        mode: 'standard',
        managedSince: minutesAgo(9000),
      },
    },
    status: 'deleted',
  },
  {
    rule: '15 create PR merged but the definition is gone (reverted) -> deleted',
    input: {
      changes: [change('create', 'merged', 1, 300)],
      cluster: local,
      previous: {
        status: 'merged',
        mode: 'standard',
        managedSince: minutesAgo(200),
      },
    },
    status: 'deleted',
  },
  {
    rule: '15 requested database whose create PR was merged then reverted, unreachable cluster, unknown before -> deleted without blaming the cluster',
    input: {
      changes: [change('create', 'merged', 1, 300)],
      cluster: localDown,
    },
    status: 'deleted',
    reason: /^removed from the apps repository$/,
  },
];

describe('deriveDatabaseStatus', () => {
  it.each(cases)('rule $rule', ({ input, status, reason }) => {
    const result = deriveDatabaseStatus({
      database: { namespace: 'payments', name: 'ledger' },
      now: NOW,
      changes: [],
      ...input,
    });
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason ?? /./);
  });

  it('ignores what an unreachable cluster reported', () => {
    expect(
      deriveDatabaseStatus({
        database: { namespace: 'payments', name: 'ledger' },
        now: NOW,
        changes: [],
        defined,
        cluster: localDown,
        observed: complete,
      }).status,
    ).toBe('merged');
  });

  it('is pure: the same input gives the same output', () => {
    const input: DatabaseStatusInput = {
      database: { namespace: 'payments', name: 'ledger' },
      now: NOW,
      changes: [change('create', 'merged', 1, 30, 15)],
      defined,
      cluster: aurora,
      observed: notOwned,
    };
    const copy = JSON.parse(JSON.stringify(input));
    expect(deriveDatabaseStatus(input)).toEqual(deriveDatabaseStatus(input));
    expect(JSON.parse(JSON.stringify(input))).toEqual(copy);
  });
});

describe('isOwnedBySuite', () => {
  it.each([
    ['never defined', undefined, false],
    ['unmanaged', { status: 'unmanaged', managedSince: undefined }, false],
    ['ready', { status: 'ready', managedSince: NOW }, true],
    ['orphaned', { status: 'orphaned', managedSince: NOW }, true],
    ['failed', { status: 'failed', managedSince: NOW }, true],
    [
      'deletion-requested',
      { status: 'deletion-requested', managedSince: NOW },
      true,
    ],
    ['deleted', { status: 'deleted', managedSince: NOW }, false],
    ['abandoned', { status: 'abandoned', managedSince: NOW }, false],
    [
      'unmanaged after a deletion',
      { status: 'unmanaged', managedSince: NOW },
      false,
    ],
  ] as const)('%s -> %p', (_name, previous, owned) => {
    expect(isOwnedBySuite(previous)).toBe(owned);
  });
});
