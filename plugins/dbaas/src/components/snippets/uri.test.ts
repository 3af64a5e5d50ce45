import { jdbcSnippet, uriSnippet } from './uri';
import { auroraConnectionInfo as info, roleOf } from './testConnectionInfo';

const write = roleOf(info, 'write');

const PASSWORD_COMMENT = [
  '// DB_PASSWORD: key password of the Kubernetes Secret payments-ledger-write',
  '// (namespace payments; see the Kubernetes env snippet). On a laptop, take it from',
  '// aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write',
];

describe('uriSnippet', () => {
  it('leaves the password out, for libpq to read from PGPASSWORD', () => {
    const snippet = uriSnippet({ info, role: write, sslmode: 'require' });

    expect(snippet.code).toBe(
      'postgresql://payments-ledger-write@rds-proxy.internal:5432/payments-ledger?sslmode=require',
    );
    expect(snippet.notes).toEqual([
      'No password in the URI: libpq-based clients (psql, pg_dump, psycopg, pgx) read it from PGPASSWORD. Set it from the key password of the Kubernetes Secret payments-ledger-write (namespace payments), or of aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write.',
    ]);
    expect(snippet).toMatchObject({ format: 'uri', title: 'URI' });
  });

  it('adds the CA file for verify-full', () => {
    expect(uriSnippet({ info, role: write, sslmode: 'verify-full' }).code).toBe(
      'postgresql://payments-ledger-write@rds-proxy.internal:5432/payments-ledger?sslmode=verify-full&sslrootcert=rds-ca.pem',
    );
  });

  it('brackets an IPv6 host', () => {
    expect(
      uriSnippet({ info, role: { ...write, host: '::1' }, sslmode: 'require' })
        .code,
    ).toBe(
      'postgresql://payments-ledger-write@[::1]:5432/payments-ledger?sslmode=require',
    );
  });
});

describe('jdbcSnippet', () => {
  it('passes the password from DB_PASSWORD, with sslmode require', () => {
    const snippet = jdbcSnippet({ info, role: write, sslmode: 'require' });

    expect(snippet.code).toBe(
      [
        ...PASSWORD_COMMENT,
        'import java.sql.Connection;',
        'import java.sql.DriverManager;',
        '',
        'String url = "jdbc:postgresql://rds-proxy.internal:5432/payments-ledger?sslmode=require";',
        'Connection connection = DriverManager.getConnection(',
        '    url, "payments-ledger-write", System.getenv("DB_PASSWORD"));',
      ].join('\n'),
    );
    expect(snippet.notes).toEqual([
      'JDBC URL: jdbc:postgresql://rds-proxy.internal:5432/payments-ledger?sslmode=require (user and password passed separately).',
    ]);
    expect(snippet).toMatchObject({
      format: 'jdbc',
      title: 'JDBC',
      language: 'java',
    });
  });

  it('adds the CA file for verify-full', () => {
    const snippet = jdbcSnippet({ info, role: write, sslmode: 'verify-full' });

    expect(snippet.code).toBe(
      [
        ...PASSWORD_COMMENT,
        'import java.sql.Connection;',
        'import java.sql.DriverManager;',
        '',
        'String url = "jdbc:postgresql://rds-proxy.internal:5432/payments-ledger?sslmode=verify-full&sslrootcert=rds-ca.pem";',
        'Connection connection = DriverManager.getConnection(',
        '    url, "payments-ledger-write", System.getenv("DB_PASSWORD"));',
      ].join('\n'),
    );
  });
});
