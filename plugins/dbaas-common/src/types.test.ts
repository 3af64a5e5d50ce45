import {
  ACTIVE_RESTORE_STATES,
  DATABASE_STATUSES,
  RESTORE_STATES,
  TERMINAL_RESTORE_STATES,
  isActiveRestoreState,
  isDatabaseMode,
  isDatabaseStatus,
  isRestoreState,
  isTerminalRestoreState,
} from './types';

describe('database statuses', () => {
  it('are the documented values in the documented order', () => {
    expect(DATABASE_STATUSES).toEqual([
      'requested',
      'merged',
      'provisioning',
      'ready',
      'failed',
      'abandoned',
      'deletion-requested',
      'deleted',
      'orphaned',
      'unmanaged',
      'restored',
    ]);
  });

  it.each([
    ['ready', true],
    ['deletion-requested', true],
    ['Ready', false],
    ['unknown', false],
    [undefined, false],
    [3, false],
  ])('isDatabaseStatus(%j) is %s', (value, expected) => {
    expect(isDatabaseStatus(value)).toBe(expected);
  });
});

describe('isDatabaseMode', () => {
  it.each([
    ['standard', true],
    ['protected', true],
    ['Protected', false],
    ['', false],
  ])('isDatabaseMode(%j) is %s', (value, expected) => {
    expect(isDatabaseMode(value)).toBe(expected);
  });
});

describe('restore states', () => {
  it('are the documented values', () => {
    expect(RESTORE_STATES).toEqual([
      'pending-approval',
      'approved',
      'rejected',
      'cancelled',
      'expired',
      'running',
      'awaiting-finalize',
      'succeeded',
      'failed',
    ]);
  });

  it('are each either active or terminal, never both', () => {
    const active = new Set<string>(ACTIVE_RESTORE_STATES);
    const terminal = new Set<string>(TERMINAL_RESTORE_STATES);
    for (const state of RESTORE_STATES) {
      expect(active.has(state) !== terminal.has(state)).toBe(true);
      expect(isActiveRestoreState(state)).toBe(active.has(state));
      expect(isTerminalRestoreState(state)).toBe(terminal.has(state));
    }
    expect(active.size + terminal.size).toBe(RESTORE_STATES.length);
  });

  it.each([
    ['pending-approval', true, false],
    ['approved', true, false],
    ['running', true, false],
    ['awaiting-finalize', true, false],
    ['failed', false, true],
    ['expired', false, true],
  ] as const)('%s: active %s, terminal %s', (state, active, terminal) => {
    expect(isActiveRestoreState(state)).toBe(active);
    expect(isTerminalRestoreState(state)).toBe(terminal);
  });

  it.each([
    ['running', true],
    ['done', false],
    [null, false],
  ])('isRestoreState(%j) is %s', (value, expected) => {
    expect(isRestoreState(value)).toBe(expected);
  });
});
