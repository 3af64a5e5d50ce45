import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';
import { DatabaseRecord, DatabaseStateUpdate } from './InventoryStore';
import { InventoryEntry, refKey } from './InventoryEntry';
import {
  markCollisions,
  rankNameClaims,
  withoutCollisions,
} from './nameCollisions';

const NOW = new Date('2026-11-22T10:00:00.000Z');

function record(ref: string, status: DatabaseStatus): DatabaseRecord {
  const [namespace, name] = ref.split('/');
  return {
    namespace,
    name,
    databaseName: `${namespace}-${name}`,
    mode: 'standard',
    status,
    statusSince: NOW,
    pullRequests: [],
    updatedAt: NOW,
  };
}

/** An entry for `namespace/name`: defined, requested, and/or known before. */
function entry(
  ref: string,
  claim: { defined?: boolean; requested?: boolean; previous?: DatabaseStatus },
): InventoryEntry {
  const [namespace, name] = ref.split('/');
  return {
    ref: { namespace, name },
    databaseName: `${namespace}-${name}`,
    defined: claim.defined
      ? { mode: 'standard', folderPath: `${namespace}/${name}` }
      : undefined,
    changes: claim.requested
      ? [
          {
            number: 1,
            url: 'https://git.example/pr/1',
            kind: 'create',
            state: 'open',
            createdAt: NOW.toISOString(),
            updatedAt: NOW.toISOString(),
          },
        ]
      : [],
    previous: claim.previous ? record(ref, claim.previous) : undefined,
  };
}

function update(e: InventoryEntry): DatabaseStateUpdate {
  return {
    namespace: e.ref.namespace,
    name: e.ref.name,
    databaseName: e.databaseName,
    mode: 'standard',
    status: 'ready',
    pullRequests: [],
  };
}

const keys = (entries: InventoryEntry[]) => entries.map(e => refKey(e.ref));

describe('rankNameClaims', () => {
  it('puts an active database first, then a defined one, then a requested one', () => {
    const requested = entry('my-team-a/b', { requested: true });
    const defined = entry('my-team/a-b', { defined: true });
    const active = entry('my/team-a-b', { previous: 'ready' });
    expect(keys(rankNameClaims([requested, defined, active], e => e))).toEqual([
      'my/team-a-b',
      'my-team/a-b',
      'my-team-a/b',
    ]);
  });

  it.each<DatabaseStatus>(['deleted', 'abandoned'])(
    'does not count a database %s before as active',
    previous => {
      const inactive = entry('my-team/a-b', { previous, requested: true });
      const defined = entry('my-team-a/b', { defined: true });
      expect(keys(rankNameClaims([inactive, defined], e => e))).toEqual([
        'my-team-a/b',
        'my-team/a-b',
      ]);
    },
  );

  it('breaks a tie by namespace/name', () => {
    const later = entry('payments/orders', { defined: true });
    const earlier = entry('billing/orders', { defined: true });
    expect(keys(rankNameClaims([later, earlier], e => e))).toEqual([
      'billing/orders',
      'payments/orders',
    ]);
  });

  it('ranks any claim by the entry it belongs to, leaving the input alone', () => {
    const defined = entry('my-team/a-b', { defined: true });
    const active = entry('my-team-a/b', { previous: 'ready' });
    const updates = [update(defined), update(active)];
    const byKey = new Map([defined, active].map(e => [refKey(e.ref), e]));
    const ranked = rankNameClaims(updates, u => byKey.get(refKey(u))!);
    expect(ranked.map(refKey)).toEqual(['my-team-a/b', 'my-team/a-b']);
    expect(updates.map(refKey)).toEqual(['my-team/a-b', 'my-team-a/b']);
  });
});

describe('the two collision passes', () => {
  const cases: Array<[string, InventoryEntry[]]> = [
    [
      'active against defined',
      [
        entry('my-team/a-b', { defined: true }),
        entry('my-team-a/b', { previous: 'ready' }),
      ],
    ],
    [
      'defined against requested',
      [
        entry('my-team-a/b', { requested: true }),
        entry('my-team/a-b', { defined: true }),
      ],
    ],
    [
      'two defined',
      [
        entry('my-team/a-b', { defined: true }),
        entry('my-team-a/b', { defined: true }),
      ],
    ],
  ];

  it.each(cases)('keep the same pair for %s', (_, group) => {
    const winner = refKey(rankNameClaims(group, e => e)[0].ref);

    const beforeProvisioning = new Map(group.map(e => [refKey(e.ref), e]));
    const problemsBefore: string[] = [];
    markCollisions(beforeProvisioning, m => problemsBefore.push(m));
    expect(
      [...beforeProvisioning.values()]
        .filter(e => !e.frozen)
        .map(e => refKey(e.ref)),
    ).toEqual([winner]);

    // The recording pass, for entries that reached it unfrozen.
    const atRecording = new Map(
      group.map(e => [refKey(e.ref), { ...e, frozen: undefined }]),
    );
    const problemsAfter: string[] = [];
    const kept = withoutCollisions(
      [...atRecording.values()].map(update),
      atRecording,
      m => problemsAfter.push(m),
    ).filter(u => u.status === 'ready');
    expect(kept.map(refKey)).toEqual([winner]);
    expect(problemsAfter).toEqual(problemsBefore);
  });
});
