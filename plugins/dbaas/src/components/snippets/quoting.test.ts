import {
  conninfo,
  conninfoValue,
  javascriptString,
  shellArgument,
  stringLiteral,
  yamlScalar,
} from './quoting';

describe('quoting', () => {
  it('quotes libpq connection string values only when needed', () => {
    expect(conninfoValue('db.internal')).toBe('db.internal');
    expect(conninfoValue(5432)).toBe('5432');
    expect(conninfoValue("it's here")).toBe("'it\\'s here'");
    expect(conninfoValue('C:\\certs')).toBe("'C:\\\\certs'");
    expect(
      conninfo([
        ['host', 'h'],
        ['port', 1],
        ['skipped', undefined],
      ]),
    ).toBe('host=h port=1');
  });

  it('quotes shell arguments', () => {
    expect(shellArgument('customer/payments/payments-ledger-write')).toBe(
      'customer/payments/payments-ledger-write',
    );
    expect(shellArgument('host=h port=1')).toBe('"host=h port=1"');
    expect(shellArgument('a $b')).toBe("'a $b'");
    expect(shellArgument("it's $x")).toBe("'it'\\''s $x'");
  });

  it('keeps YAML scalars plain unless YAML would misread them', () => {
    expect(yamlScalar('payments-ledger-write')).toBe('payments-ledger-write');
    expect(yamlScalar('customer/payments/x')).toBe('customer/payments/x');
    expect(yamlScalar('yes')).toBe('"yes"');
    expect(yamlScalar('5432')).toBe('"5432"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
  });

  it('writes string literals', () => {
    expect(stringLiteral('a"b')).toBe('"a\\"b"');
    expect(javascriptString("it's")).toBe("'it\\'s'");
    expect(javascriptString('a\\b')).toBe("'a\\\\b'");
  });
});
