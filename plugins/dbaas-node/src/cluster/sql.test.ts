import { quoteIdent, quoteLiteral } from './sql';
import {
  postgresSuite,
  TEST_DATABASE_URL,
  dropEverything,
  uniqueNamespace,
  withSuperuser,
} from './__testUtils__/postgres';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;

describe('quoteIdent', () => {
  it('double-quotes and doubles inner quotes', () => {
    expect(quoteIdent('team-a-orders')).toBe('"team-a-orders"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x"; DROP DATABASE y; --')).toBe(
      '"x""; DROP DATABASE y; --"',
    );
  });

  it('refuses empty names, NUL and names PostgreSQL would truncate', () => {
    expect(() => quoteIdent('')).toThrow(/non-empty/);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(quoteIdent('a'.repeat(63))).toHaveLength(65);
    expect(() => quoteIdent('a'.repeat(64))).toThrow(/64 bytes.*truncate/);
    // Bytes, not characters: 32 two-byte characters are 64 bytes.
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/64 bytes/);
  });
});

describe('quoteLiteral', () => {
  it('doubles single quotes and escapes backslashes with E-strings', () => {
    expect(quoteLiteral('plain')).toBe("'plain'");
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(() => quoteLiteral('a\0')).toThrow(/NUL/);
  });
});

describeWithPostgres(postgresSuite('quoting on a real server'), () => {
  const role = `${uniqueNamespace('q')}-"; DROP ROLE postgres; --`;
  afterAll(() => dropEverything([], [role]));

  it('keeps hostile names and values as one identifier and one literal', async () => {
    const value = `it's a \\ test'; SELECT 1; --`;
    const result = await withSuperuser(async client => {
      await client.query(`CREATE ROLE ${quoteIdent(role)}`);
      const roles = await client.query(
        'SELECT rolname FROM pg_roles WHERE rolname = $1',
        [role],
      );
      const literal = await client.query(`SELECT ${quoteLiteral(value)} AS v`);
      return { roles: roles.rows, literal: literal.rows[0].v };
    });
    expect(result.roles).toEqual([{ rolname: role }]);
    expect(result.literal).toBe(value);
  });
});
