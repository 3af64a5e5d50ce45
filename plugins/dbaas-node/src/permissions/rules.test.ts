import { dbaasDatabaseRules, dbaasTenantRules } from './rules';

describe('tenant permission rules', () => {
  const ledger = {
    namespace: 'payments',
    name: 'ledger',
    owners: ['group:default/payments'],
  };

  it.each([
    [['group:default/payments'], true],
    [['user:default/ana', 'group:default/payments'], true],
    [['group:default/checkout'], false],
    [[], false],
  ])('IS_TENANT_OWNER with claims %j -> %s', (claims, expected) => {
    expect(dbaasDatabaseRules.isTenantOwner.apply(ledger, { claims })).toBe(
      expected,
    );
    expect(
      dbaasTenantRules.isTenantOwner.apply(
        { namespace: 'payments', owners: ledger.owners },
        { claims },
      ),
    ).toBe(expected);
  });

  it('IS_IN_NAMESPACE matches the namespace only', () => {
    const rule = dbaasDatabaseRules.isInNamespace;
    expect(rule.apply(ledger, { namespaces: ['payments'] })).toBe(true);
    expect(rule.apply(ledger, { namespaces: ['payment', 'pay'] })).toBe(false);
  });

  it('translates to store queries', () => {
    expect(
      dbaasDatabaseRules.isTenantOwner.toQuery({ claims: ['group:default/a'] }),
    ).toEqual({ property: 'owner', values: ['group:default/a'] });
    expect(
      dbaasTenantRules.isInNamespace.toQuery({ namespaces: ['a'] }),
    ).toEqual({ property: 'namespace', values: ['a'] });
  });

  it('rejects malformed params through its schema', () => {
    const validate = (value: unknown) =>
      dbaasDatabaseRules.isTenantOwner.paramsSchema!['~standard'].validate(
        value,
      );
    expect(validate({ claims: 'group:default/a' })).toHaveProperty('issues');
    expect(validate({ claims: ['group:default/a'] })).not.toHaveProperty(
      'issues',
    );
  });
});
