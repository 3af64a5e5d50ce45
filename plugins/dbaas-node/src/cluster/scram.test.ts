import {
  generatePassword,
  scramSha256Verifier,
  scramVerifierMatches,
} from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import {
  allowLoginDatabase,
  connectAs,
  postgresSuite,
  TEST_DATABASE_URL,
  dropEverything,
  uniqueNamespace,
  withSuperuser,
} from './__testUtils__/postgres';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;

jest.setTimeout(30_000);

describe('scramSha256Verifier', () => {
  it('has the pg_authid format with 4096 iterations and a 16-byte salt', () => {
    const verifier = scramSha256Verifier('secret-password');
    const match =
      /^SCRAM-SHA-256\$4096:([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(
        verifier,
      );
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1], 'base64')).toHaveLength(16);
    expect(Buffer.from(match![2], 'base64')).toHaveLength(32);
    expect(Buffer.from(match![3], 'base64')).toHaveLength(32);
    expect(verifier).not.toContain('secret-password');
  });

  it('is deterministic for a given salt and iteration count', () => {
    const salt = Buffer.from('0123456789abcdef');
    expect(scramSha256Verifier('pw', { salt, iterations: 10 })).toBe(
      scramSha256Verifier('pw', { salt, iterations: 10 }),
    );
    expect(scramSha256Verifier('pw', { salt, iterations: 10 })).toMatch(
      /^SCRAM-SHA-256\$10:/,
    );
    // A new random salt each time otherwise.
    expect(scramSha256Verifier('pw')).not.toBe(scramSha256Verifier('pw'));
  });

  it('refuses passwords SASLprep could change, without echoing them', () => {
    for (const bad of ['', 'pässword-ü', 'tab\there', 'nul\0x']) {
      expect(() => scramSha256Verifier(bad)).toThrow(
        'A database password must be non-empty printable ASCII',
      );
    }
    expect(() => scramSha256Verifier('pw', { iterations: 0 })).toThrow(
      /positive integer/,
    );
  });

  it('recognises the verifier of a password', () => {
    const verifier = scramSha256Verifier('right');
    expect(scramVerifierMatches(verifier, 'right')).toBe(true);
    expect(scramVerifierMatches(verifier, 'wrong')).toBe(false);
    expect(scramVerifierMatches(null, 'right')).toBe(false);
    expect(scramVerifierMatches('md5abc', 'right')).toBe(false);
  });
});

describe('generatePassword', () => {
  it('makes long, URL-safe, different passwords', () => {
    const passwords = new Set(
      Array.from({ length: 50 }, () => generatePassword()),
    );
    expect(passwords.size).toBe(50);
    for (const password of passwords) {
      expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(encodeURIComponent(password)).toBe(password);
    }
  });
});

describeWithPostgres(postgresSuite('SCRAM verifiers on a real server'), () => {
  const role = `${uniqueNamespace('scram')}-role`;
  afterAll(() => dropEverything([], [role]));

  it('matches what PostgreSQL computes for the same salt', async () => {
    const password = generatePassword();
    const stored = await withSuperuser(async client => {
      // The server hashes this one itself (only in this test).
      await client.query(`SET password_encryption = 'scram-sha-256'`);
      await client.query(
        `CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(
          password,
        )}`,
      );
      const { rows } = await client.query(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [role],
      );
      return rows[0].rolpassword as string;
    });
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(
      stored,
    )!;
    expect(
      scramSha256Verifier(password, {
        salt: Buffer.from(salt, 'base64'),
        iterations: Number(iterations),
      }),
    ).toBe(stored);
    expect(scramVerifierMatches(stored, password)).toBe(true);
  });

  it('lets a role log in over TCP with its password, and not with another', async () => {
    const password = generatePassword();
    await withSuperuser(client =>
      client.query(
        `ALTER ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(
          scramSha256Verifier(password),
        )}`,
      ),
    );

    await allowLoginDatabase(role);
    const session = await connectAs(role, password, 'postgres');
    const { rows } = await session.query('SELECT current_user AS me');
    expect(rows[0].me).toBe(role);
    await session.end();

    const wrong = generatePassword();
    const failure = await connectAs(role, wrong, 'postgres').then(
      async c => {
        await c.end();
        return undefined;
      },
      (error: Error & { code?: string }) => error,
    );
    expect(failure?.code).toBe('28P01'); // invalid_password
    expect(failure?.message).toContain('password authentication failed');
  });
});
