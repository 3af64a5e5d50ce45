import { RESTORE_STEPS } from '@dbaas/plugin-dbaas-common';
import { restoreRequest } from './restoreTestFixtures';
import { inferSnapshotSource, stepStates, stepsFor } from './restoreSteps';

const at = '2026-03-04T12:00:00.000Z';

describe('stepsFor', () => {
  it('runs every step for an in-place restore from an Aurora snapshot that waits to be finalized', () => {
    expect(stepsFor('in-place', 'aurora-cluster-snapshot', true)).toEqual([
      ...RESTORE_STEPS,
    ]);
    expect(stepsFor('in-place', 'aurora-cluster-snapshot')).toEqual(
      RESTORE_STEPS.filter(step => step !== 'preview'),
    );
  });

  it('runs the preview before the swap when the restore waits to be finalized', () => {
    expect(stepsFor('in-place', 'pg_dump', true)).toEqual([
      'preflight',
      'restore',
      'verify',
      'preview',
      'swap',
      'grants',
      'cleanup',
      'drop-safety-copy',
    ]);
    // A new database is never swapped, so never previewed.
    expect(stepsFor('new-database', 'pg_dump', true)).not.toContain('preview');
  });

  it('skips the temporary cluster and the dump for a local snapshot', () => {
    expect(stepsFor('in-place', 'pg_dump')).toEqual([
      'preflight',
      'restore',
      'verify',
      'swap',
      'grants',
      'cleanup',
      'drop-safety-copy',
    ]);
  });

  it('skips the swap and the safety copy for a new database', () => {
    expect(stepsFor('new-database', 'pg_dump')).toEqual([
      'preflight',
      'restore',
      'verify',
      'grants',
      'cleanup',
    ]);
    expect(stepsFor('new-database')).toEqual([
      'preflight',
      'temp-cluster-create',
      'temp-cluster-wait',
      'dump',
      'restore',
      'verify',
      'grants',
      'cleanup',
    ]);
  });
});

describe('inferSnapshotSource', () => {
  it('is unknown before the workflow reaches a telling step', () => {
    expect(inferSnapshotSource(restoreRequest())).toBeUndefined();
    expect(
      inferSnapshotSource(
        restoreRequest({
          state: 'running',
          currentStep: 'preflight',
          log: [{ at, step: 'preflight', level: 'info', message: 'ok' }],
        }),
      ),
    ).toBeUndefined();
  });

  it('is Aurora once a temporary cluster step shows', () => {
    expect(
      inferSnapshotSource(
        restoreRequest({ state: 'running', currentStep: 'temp-cluster-wait' }),
      ),
    ).toBe('aurora-cluster-snapshot');
  });

  it('is a local dump when the restore starts without one', () => {
    expect(
      inferSnapshotSource(
        restoreRequest({
          state: 'running',
          currentStep: 'restore',
          log: [{ at, step: 'preflight', level: 'info', message: 'ok' }],
        }),
      ),
    ).toBe('pg_dump');
  });
});

describe('stepStates', () => {
  const progressOf = (states: ReturnType<typeof stepStates>) =>
    Object.fromEntries(states.map(s => [s.step, s.progress]));

  it('marks the steps before the current one done, the current active', () => {
    const states = stepStates(
      restoreRequest({ state: 'running', currentStep: 'verify' }),
      'pg_dump',
    );
    expect(progressOf(states)).toEqual({
      preflight: 'done',
      restore: 'done',
      verify: 'active',
      grants: 'pending',
      cleanup: 'pending',
    });
  });

  it('marks the failed step failed, cleanup done when it ran, the rest skipped', () => {
    const states = stepStates(
      restoreRequest({
        state: 'failed',
        currentStep: 'restore',
        log: [
          { at, step: 'restore', level: 'error', message: 'pg_restore: 1' },
          { at, step: 'cleanup', level: 'info', message: 'dropped temp' },
        ],
      }),
      'pg_dump',
    );
    expect(progressOf(states)).toEqual({
      preflight: 'done',
      restore: 'failed',
      verify: 'skipped',
      grants: 'skipped',
      cleanup: 'done',
    });
  });

  it('keeps the safety copy drop scheduled after an in-place success until done', () => {
    const request = restoreRequest({
      state: 'succeeded',
      target: 'in-place',
      safetyCopy: {
        databaseName: 'payments-ledger-safety',
        dropAfter: '2026-03-11T12:00:00.000Z',
      },
    });
    expect(progressOf(stepStates(request, 'pg_dump'))['drop-safety-copy']).toBe(
      'scheduled',
    );
    expect(
      progressOf(
        stepStates(
          {
            ...request,
            safetyCopy: { ...request.safetyCopy!, dropped: true },
          },
          'pg_dump',
        ),
      )['drop-safety-copy'],
    ).toBe('done');
  });

  it('marks the steps up to the preview done and the swap waiting while awaiting the finalize', () => {
    const states = stepStates(
      restoreRequest({
        state: 'awaiting-finalize',
        target: 'in-place',
        finalizeRequired: true,
        finalizeDeadline: '2026-03-04T14:00:00.000Z',
        currentStep: 'swap',
      }),
      'pg_dump',
    );
    expect(progressOf(states)).toEqual({
      preflight: 'done',
      restore: 'done',
      verify: 'done',
      preview: 'done',
      swap: 'awaiting',
      grants: 'pending',
      cleanup: 'pending',
      'drop-safety-copy': 'pending',
    });
  });

  it('skips the swap and grants of a request cancelled while awaiting the finalize', () => {
    const log = (['preflight', 'restore', 'verify', 'preview'] as const).map(
      step => ({ at, step, level: 'info' as const, message: 'ran' }),
    );
    const request = restoreRequest({
      target: 'in-place',
      finalizeRequired: true,
      finalizeDeadline: '2026-03-04T14:00:00.000Z',
      log,
    });
    expect(
      progressOf(
        stepStates(
          {
            ...request,
            state: 'running',
            currentStep: 'cleanup',
            cancellation: { by: 'user:default/alice', at },
          },
          'pg_dump',
        ),
      ),
    ).toEqual({
      preflight: 'done',
      restore: 'done',
      verify: 'done',
      preview: 'done',
      swap: 'skipped',
      grants: 'skipped',
      cleanup: 'active',
      'drop-safety-copy': 'pending',
    });
    // Expired: the deadline passed without a finalize; the same steps ran.
    expect(
      progressOf(
        stepStates(
          {
            ...request,
            state: 'expired',
            log: [
              ...log,
              { at, step: 'cleanup', level: 'info', message: 'Cleaned up' },
            ],
          },
          'pg_dump',
        ),
      ),
    ).toEqual({
      preflight: 'done',
      restore: 'done',
      verify: 'done',
      preview: 'done',
      swap: 'skipped',
      grants: 'skipped',
      cleanup: 'done',
      'drop-safety-copy': 'skipped',
    });
  });

  it('leaves every step pending while waiting for approval', () => {
    const states = stepStates(restoreRequest(), 'pg_dump');
    expect(new Set(states.map(s => s.progress))).toEqual(new Set(['pending']));
  });

  it('marks the steps skipped for a request that never ran', () => {
    const states = stepStates(restoreRequest({ state: 'rejected' }), 'pg_dump');
    expect(new Set(states.map(s => s.progress))).toEqual(new Set(['skipped']));
  });
});
