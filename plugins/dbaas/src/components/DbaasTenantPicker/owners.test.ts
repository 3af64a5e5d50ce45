import { describeOwners, formatOwner } from './owners';

describe('formatOwner', () => {
  it.each([
    ['group:default/payments', 'payments'],
    ['group:ops/dba', 'ops/dba'],
    ['Group:default/payments', 'payments'],
    ['user:default/jane', 'user:jane'],
    ['user:ops/jane', 'user:ops/jane'],
    ['payments', 'payments'],
    ['not:an:entity/ref', 'not:an:entity/ref'],
  ])('shows %s as %s', (ref, shown) => {
    expect(formatOwner(ref)).toBe(shown);
  });
});

describe('describeOwners', () => {
  it('lists the owners', () => {
    expect(
      describeOwners(['group:default/payments', 'group:default/platform']),
    ).toBe('Owned by payments, platform');
  });

  it('says when no owner is listed', () => {
    expect(describeOwners([])).toBe('No owner listed');
  });
});
