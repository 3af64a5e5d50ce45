import {
  branchHeadOwner,
  isSuiteCommitOf,
  taskOfCommit,
  withChangeTrailers,
} from './changeTrailers';

const BRANCH = 'dbaas/create/payments/ledger';

describe('change trailers', () => {
  it('adds the change and task trailers after a blank line, once', () => {
    const message = withChangeTrailers('Add ledger', BRANCH, 'task-1');
    expect(message).toBe(
      `Add ledger\n\nDbaas-Change: ${BRANCH}\nDbaas-Task: task-1\n`,
    );
    expect(withChangeTrailers(message, BRANCH, 'task-1')).toBe(message);
    expect(withChangeTrailers('Add ledger', BRANCH, undefined)).toBe(
      `Add ledger\n\nDbaas-Change: ${BRANCH}\n`,
    );
  });

  it('keeps a task id on one line', () => {
    const message = withChangeTrailers('x', BRANCH, 'a\nDbaas-Task: b');
    expect(taskOfCommit(message)).toBe('a Dbaas-Task: b');
    expect(branchHeadOwner(message, BRANCH, 'a\nDbaas-Task: b')).toBe('mine');
  });

  it('tells whose a branch head is', () => {
    const t1 = withChangeTrailers('Add ledger', BRANCH, 't1');
    expect(branchHeadOwner(t1, BRANCH, 't1')).toBe('mine');
    expect(branchHeadOwner(t1, BRANCH, 't2')).toBe('other-request');
    expect(branchHeadOwner(t1, 'dbaas/create/payments/other', 't1')).toBe(
      'foreign',
    );
    expect(branchHeadOwner('Fix typo', BRANCH, 't1')).toBe('foreign');
    const old = withChangeTrailers('Add ledger', BRANCH, undefined);
    expect(branchHeadOwner(old, BRANCH, undefined)).toBe('mine');
    expect(branchHeadOwner(old, BRANCH, 't1')).toBe('other-request');
    expect(isSuiteCommitOf(old, BRANCH)).toBe(true);
  });
});
