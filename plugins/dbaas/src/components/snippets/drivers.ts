import { commentLines, passwordSourceLines } from './passwordSource';
import { sslParameters } from './psql';
import { conninfo, javascriptString, stringLiteral } from './quoting';
import {
  CA_FILE_PLACEHOLDER,
  SNIPPET_TITLES,
  Snippet,
  SnippetInput,
} from './types';

const DRIVER_NOTE =
  'The app reads the password from DB_PASSWORD, as the Kubernetes env snippet sets it.';

/** Node.js with node-postgres (`pg`), as an ES module. */
export function nodeSnippet({ role, sslmode }: SnippetInput): Snippet {
  const verify = sslmode === 'verify-full';
  const lines = [
    ...commentLines(passwordSourceLines(role, 'DB_PASSWORD'), '//'),
    ...(verify ? ["import { readFileSync } from 'node:fs';"] : []),
    "import pg from 'pg';",
    '',
    'const client = new pg.Client({',
    `  host: ${javascriptString(role.host)},`,
    `  port: ${role.port},`,
    `  database: ${javascriptString(role.database)},`,
    `  user: ${javascriptString(role.username)},`,
    '  password: process.env.DB_PASSWORD,',
    ...(verify
      ? [
          '  // verify-full: the certificate must chain to this CA and name the host',
          `  ssl: { ca: readFileSync(${javascriptString(
            CA_FILE_PLACEHOLDER,
          )}, 'utf8') },`,
        ]
      : [
          '  // require: encrypted, the server certificate is not checked',
          '  ssl: { rejectUnauthorized: false },',
        ]),
    '});',
    'await client.connect();',
  ];
  return {
    format: 'node',
    title: SNIPPET_TITLES.node,
    language: 'javascript',
    code: lines.join('\n'),
    notes: [DRIVER_NOTE],
  };
}

/** Python with psycopg 3. */
export function pythonSnippet({ role, sslmode }: SnippetInput): Snippet {
  const lines = [
    ...commentLines(passwordSourceLines(role, 'DB_PASSWORD'), '#'),
    'import os',
    '',
    'import psycopg',
    '',
    'conn = psycopg.connect(',
    `    host=${stringLiteral(role.host)},`,
    `    port=${role.port},`,
    `    dbname=${stringLiteral(role.database)},`,
    `    user=${stringLiteral(role.username)},`,
    '    password=os.environ["DB_PASSWORD"],',
    ...sslParameters(sslmode).map(
      ([key, value]) => `    ${key}=${stringLiteral(value)},`,
    ),
    ')',
  ];
  return {
    format: 'python',
    title: SNIPPET_TITLES.python,
    language: 'python',
    code: lines.join('\n'),
    notes: [DRIVER_NOTE],
  };
}

/** Go with pgx v5. */
export function goSnippet({ role, sslmode }: SnippetInput): Snippet {
  const parameters = conninfo([
    ['host', role.host],
    ['port', role.port],
    ['dbname', role.database],
    ['user', role.username],
    ...sslParameters(sslmode),
  ]);
  const lines = [
    'import (',
    '\t"context"',
    '\t"os"',
    '',
    '\t"github.com/jackc/pgx/v5"',
    ')',
    '',
    'func connect(ctx context.Context) (*pgx.Conn, error) {',
    ...commentLines(passwordSourceLines(role, 'DB_PASSWORD'), '\t//'),
    `\tconfig, err := pgx.ParseConfig(${stringLiteral(parameters)})`,
    '\tif err != nil {',
    '\t\treturn nil, err',
    '\t}',
    '\tconfig.Password = os.Getenv("DB_PASSWORD")',
    '\treturn pgx.ConnectConfig(ctx, config)',
    '}',
  ];
  return {
    format: 'go',
    title: SNIPPET_TITLES.go,
    language: 'go',
    code: lines.join('\n'),
    notes: [DRIVER_NOTE],
  };
}

/** .NET with Npgsql (7 or later). */
export function dotnetSnippet({ role, sslmode }: SnippetInput): Snippet {
  const lines = [
    ...commentLines(passwordSourceLines(role, 'DB_PASSWORD'), '//'),
    'using Npgsql;',
    '',
    'var builder = new NpgsqlConnectionStringBuilder',
    '{',
    `    Host = ${stringLiteral(role.host)},`,
    `    Port = ${role.port},`,
    `    Database = ${stringLiteral(role.database)},`,
    `    Username = ${stringLiteral(role.username)},`,
    '    Password = Environment.GetEnvironmentVariable("DB_PASSWORD"),',
    ...(sslmode === 'verify-full'
      ? [
          '    SslMode = SslMode.VerifyFull,',
          `    RootCertificate = ${stringLiteral(CA_FILE_PLACEHOLDER)},`,
        ]
      : ['    SslMode = SslMode.Require,']),
    '};',
    'await using var dataSource = NpgsqlDataSource.Create(builder);',
    'await using var connection = await dataSource.OpenConnectionAsync();',
  ];
  return {
    format: 'dotnet',
    title: SNIPPET_TITLES.dotnet,
    language: 'csharp',
    code: lines.join('\n'),
    notes: [DRIVER_NOTE],
  };
}
