import { parseSuiteBranch, suiteBranchName } from './suiteBranches';

describe('suite branches', () => {
  it('names a task branch and reads it back', () => {
    const branch = suiteBranchName('create', 'payments', 'ledger', 'a1b2-c3d4');
    expect(branch).toBe('dbaas/create/payments/ledger/a1b2c3d4');
    expect(parseSuiteBranch(branch)).toEqual({
      kind: 'create',
      namespace: 'payments',
      name: 'ledger',
      task: 'a1b2c3d4',
    });
  });

  it('keeps only the first 12 letters and digits of the task id', () => {
    expect(suiteBranchName('delete', 'a', 'b', 'x'.repeat(40))).toBe(
      `dbaas/delete/a/b/${'x'.repeat(12)}`,
    );
    expect(suiteBranchName('update', 'a', 'b', '---')).toBe(
      'dbaas/update/a/b/task',
    );
  });

  it.each([
    'main',
    'dbaas/create/payments/ledger',
    'dbaas/rename/payments/ledger/t',
    'dbaas/create/payments//t',
    'dbaas/create/payments/ledger/t/extra',
  ])('ignores %s', branch => {
    expect(parseSuiteBranch(branch)).toBeUndefined();
  });
});
