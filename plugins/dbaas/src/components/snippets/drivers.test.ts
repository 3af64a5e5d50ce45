import {
  dotnetSnippet,
  goSnippet,
  nodeSnippet,
  pythonSnippet,
} from './drivers';
import { auroraConnectionInfo as info, roleOf } from './testConnectionInfo';

const write = roleOf(info, 'write');

function passwordComment(marker: string) {
  return [
    `${marker} DB_PASSWORD: key password of the Kubernetes Secret payments-ledger-write`,
    `${marker} (namespace payments; see the Kubernetes env snippet). On a laptop, take it from`,
    `${marker} aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write`,
  ];
}

const DRIVER_NOTES = [
  'The app reads the password from DB_PASSWORD, as the Kubernetes env snippet sets it.',
];

describe('nodeSnippet', () => {
  it('connects with pg, encrypted without checking the certificate, for require', () => {
    const snippet = nodeSnippet({ info, role: write, sslmode: 'require' });

    expect(snippet.code).toBe(
      [
        ...passwordComment('//'),
        "import pg from 'pg';",
        '',
        'const client = new pg.Client({',
        "  host: 'rds-proxy.internal',",
        '  port: 5432,',
        "  database: 'payments-ledger',",
        "  user: 'payments-ledger-write',",
        '  password: process.env.DB_PASSWORD,',
        '  // require: encrypted, the server certificate is not checked',
        '  ssl: { rejectUnauthorized: false },',
        '});',
        'await client.connect();',
      ].join('\n'),
    );
    expect(snippet).toMatchObject({
      format: 'node',
      title: 'Node.js (pg)',
      language: 'javascript',
      notes: DRIVER_NOTES,
    });
  });

  it('checks the certificate against the CA file for verify-full', () => {
    const snippet = nodeSnippet({ info, role: write, sslmode: 'verify-full' });

    expect(snippet.code).toBe(
      [
        ...passwordComment('//'),
        "import { readFileSync } from 'node:fs';",
        "import pg from 'pg';",
        '',
        'const client = new pg.Client({',
        "  host: 'rds-proxy.internal',",
        '  port: 5432,',
        "  database: 'payments-ledger',",
        "  user: 'payments-ledger-write',",
        '  password: process.env.DB_PASSWORD,',
        '  // verify-full: the certificate must chain to this CA and name the host',
        "  ssl: { ca: readFileSync('rds-ca.pem', 'utf8') },",
        '});',
        'await client.connect();',
      ].join('\n'),
    );
  });
});

describe('pythonSnippet', () => {
  const START = [
    ...passwordComment('#'),
    'import os',
    '',
    'import psycopg',
    '',
    'conn = psycopg.connect(',
    '    host="rds-proxy.internal",',
    '    port=5432,',
    '    dbname="payments-ledger",',
    '    user="payments-ledger-write",',
    '    password=os.environ["DB_PASSWORD"],',
  ];

  it('connects with psycopg and sslmode require', () => {
    const snippet = pythonSnippet({ info, role: write, sslmode: 'require' });

    expect(snippet.code).toBe(
      [...START, '    sslmode="require",', ')'].join('\n'),
    );
    expect(snippet).toMatchObject({
      format: 'python',
      title: 'Python (psycopg)',
      language: 'python',
      notes: DRIVER_NOTES,
    });
  });

  it('adds sslrootcert for verify-full', () => {
    const snippet = pythonSnippet({
      info,
      role: write,
      sslmode: 'verify-full',
    });

    expect(snippet.code).toBe(
      [
        ...START,
        '    sslmode="verify-full",',
        '    sslrootcert="rds-ca.pem",',
        ')',
      ].join('\n'),
    );
  });
});

describe('goSnippet', () => {
  function expected(conninfo: string) {
    return [
      'import (',
      '\t"context"',
      '\t"os"',
      '',
      '\t"github.com/jackc/pgx/v5"',
      ')',
      '',
      'func connect(ctx context.Context) (*pgx.Conn, error) {',
      ...passwordComment('\t//'),
      `\tconfig, err := pgx.ParseConfig("${conninfo}")`,
      '\tif err != nil {',
      '\t\treturn nil, err',
      '\t}',
      '\tconfig.Password = os.Getenv("DB_PASSWORD")',
      '\treturn pgx.ConnectConfig(ctx, config)',
      '}',
    ].join('\n');
  }

  it('connects with pgx and sslmode require', () => {
    const snippet = goSnippet({ info, role: write, sslmode: 'require' });

    expect(snippet.code).toBe(
      expected(
        'host=rds-proxy.internal port=5432 dbname=payments-ledger user=payments-ledger-write sslmode=require',
      ),
    );
    expect(snippet).toMatchObject({
      format: 'go',
      title: 'Go (pgx)',
      language: 'go',
      notes: DRIVER_NOTES,
    });
  });

  it('adds sslrootcert for verify-full', () => {
    expect(goSnippet({ info, role: write, sslmode: 'verify-full' }).code).toBe(
      expected(
        'host=rds-proxy.internal port=5432 dbname=payments-ledger user=payments-ledger-write sslmode=verify-full sslrootcert=rds-ca.pem',
      ),
    );
  });
});

describe('dotnetSnippet', () => {
  function expected(sslLines: string[]) {
    return [
      ...passwordComment('//'),
      'using Npgsql;',
      '',
      'var builder = new NpgsqlConnectionStringBuilder',
      '{',
      '    Host = "rds-proxy.internal",',
      '    Port = 5432,',
      '    Database = "payments-ledger",',
      '    Username = "payments-ledger-write",',
      '    Password = Environment.GetEnvironmentVariable("DB_PASSWORD"),',
      ...sslLines,
      '};',
      'await using var dataSource = NpgsqlDataSource.Create(builder);',
      'await using var connection = await dataSource.OpenConnectionAsync();',
    ].join('\n');
  }

  it('connects with Npgsql and SslMode.Require', () => {
    const snippet = dotnetSnippet({ info, role: write, sslmode: 'require' });

    expect(snippet.code).toBe(expected(['    SslMode = SslMode.Require,']));
    expect(snippet).toMatchObject({
      format: 'dotnet',
      title: '.NET (Npgsql)',
      language: 'csharp',
      notes: DRIVER_NOTES,
    });
  });

  it('uses VerifyFull with the CA file for verify-full', () => {
    expect(
      dotnetSnippet({ info, role: write, sslmode: 'verify-full' }).code,
    ).toBe(
      expected([
        '    SslMode = SslMode.VerifyFull,',
        '    RootCertificate = "rds-ca.pem",',
      ]),
    );
  });
});
