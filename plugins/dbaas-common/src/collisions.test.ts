import {
  collisionProblem,
  existsProblem,
  findCollision,
  isSameDatabase,
} from './collisions';

describe('findCollision', () => {
  const existing = [
    { namespace: 'a', name: 'b-c', status: 'ready' },
    { namespace: 'team', name: 'orders-v2', status: 'requested' },
  ];

  it.each([
    [{ namespace: 'a-b', name: 'c' }, existing[0]],
    [{ namespace: 'a-b-c', name: 'x' }, undefined],
    [{ namespace: 'a', name: 'b-c' }, undefined],
    [{ namespace: 'team-orders', name: 'v3' }, undefined],
    [{ namespace: 'team-orders', name: 'v2' }, existing[1]],
  ])('for %j finds %j', (candidate, expected) => {
    expect(findCollision(candidate, existing)).toBe(expected);
  });

  it('accepts any iterable', () => {
    const refs = new Set([{ namespace: 'a', name: 'b-c' }]);
    expect(findCollision({ namespace: 'a-b', name: 'c' }, refs)).toEqual({
      namespace: 'a',
      name: 'b-c',
    });
  });
});

describe('isSameDatabase', () => {
  it.each([
    [{ namespace: 'a', name: 'b' }, { namespace: 'a', name: 'b' }, true],
    [{ namespace: 'a', name: 'b' }, { namespace: 'a', name: 'c' }, false],
    [{ namespace: 'a-b', name: 'c' }, { namespace: 'a', name: 'b-c' }, false],
  ])('%j and %j: %s', (a, b, same) => {
    expect(isSameDatabase(a, b)).toBe(same);
  });
});

describe('collisionProblem', () => {
  it('names both databases and the shared database name', () => {
    expect(
      collisionProblem(
        { namespace: 'a-b', name: 'c' },
        { namespace: 'a', name: 'b-c' },
      ),
    ).toEqual({
      field: 'name',
      rule: 'collision',
      message:
        '`a-b`/`c` would create database `a-b-c`, which `a`/`b-c` already uses',
    });
  });
});

describe('existsProblem', () => {
  it('says where the database already is, on one line', () => {
    expect(
      existsProblem(
        { namespace: 'payments', name: 'ledger' },
        'pull request #12\n(injected)',
      ),
    ).toEqual({
      field: 'name',
      rule: 'exists',
      message:
        '`payments`/`ledger` already exists: "pull request #12\\n(injected)"',
    });
  });
});
