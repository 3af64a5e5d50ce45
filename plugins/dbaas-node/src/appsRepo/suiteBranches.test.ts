import { parseSuiteBranch, suiteBranchName } from './suiteBranches';

describe('suite branches', () => {
  it('names the branch of a database and reads it back', () => {
    const branch = suiteBranchName('create', 'payments', 'ledger');
    expect(branch).toBe('dbaas/create/payments/ledger');
    expect(parseSuiteBranch(branch)).toEqual({
      kind: 'create',
      namespace: 'payments',
      name: 'ledger',
    });
  });

  it('reads the per-task branches of earlier versions', () => {
    expect(parseSuiteBranch('dbaas/delete/a/b-c/a1b2c3d4')).toEqual({
      kind: 'delete',
      namespace: 'a',
      name: 'b-c',
      task: 'a1b2c3d4',
    });
  });

  it.each([
    'main',
    'dbaas/create/payments',
    'dbaas/rename/payments/ledger',
    'dbaas/rename/payments/ledger/t',
    'dbaas/create/payments//t',
    'dbaas/create//ledger',
    'dbaas/create/payments/ledger/',
    'dbaas/create/payments/ledger/t/extra',
  ])('ignores %s', branch => {
    expect(parseSuiteBranch(branch)).toBeUndefined();
  });
});
