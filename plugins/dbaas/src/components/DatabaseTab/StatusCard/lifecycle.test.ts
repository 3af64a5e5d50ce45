import { DATABASE_STATUSES } from '@dbaas/plugin-dbaas-common';
import { lifecycleSteps } from './lifecycle';

function describeSteps(status: (typeof DATABASE_STATUSES)[number]) {
  return lifecycleSteps(status).map(
    step =>
      `${step.label}:${step.state}${step.reached ? '+reached' : ''}${
        step.caption ? `(${step.caption})` : ''
      }`,
  );
}

describe('lifecycleSteps', () => {
  it.each([
    [
      'requested',
      [
        'requested:current',
        'merged:pending',
        'provisioning:pending',
        'ready:pending',
      ],
    ],
    [
      'merged',
      [
        'requested:done',
        'merged:current',
        'provisioning:pending',
        'ready:pending',
      ],
    ],
    [
      'provisioning',
      [
        'requested:done',
        'merged:done',
        'provisioning:current',
        'ready:pending',
      ],
    ],
    [
      'ready',
      [
        'requested:done',
        'merged:done',
        'provisioning:done',
        'ready:current+reached',
      ],
    ],
    [
      'failed',
      [
        'requested:done',
        'merged:done',
        'provisioning:failed(failed)',
        'ready:pending',
      ],
    ],
    [
      'abandoned',
      [
        'requested:done',
        'merged:failed(abandoned)',
        'provisioning:pending',
        'ready:pending',
      ],
    ],
    [
      'deletion-requested',
      [
        'requested:done',
        'merged:done',
        'provisioning:done',
        'ready:done',
        'deletion-requested:current',
        'deleted:pending',
      ],
    ],
    [
      'deleted',
      [
        'requested:done',
        'merged:done',
        'provisioning:done',
        'ready:done',
        'deletion-requested:done',
        'deleted:current+reached',
      ],
    ],
    [
      'orphaned',
      [
        'requested:done',
        'merged:done',
        'provisioning:done',
        'ready:done',
        'removed from the repository:done',
        'orphaned:current(still in the cluster)',
      ],
    ],
    ['unmanaged', []],
  ] as const)('%s', (status, expected) => {
    expect(describeSteps(status)).toEqual(expected);
  });

  it('covers every status, with at most one current or failed step', () => {
    for (const status of DATABASE_STATUSES) {
      const highlighted = lifecycleSteps(status).filter(
        step => step.state === 'current' || step.state === 'failed',
      );
      expect(highlighted.length).toBe(status === 'unmanaged' ? 0 : 1);
    }
  });
});
