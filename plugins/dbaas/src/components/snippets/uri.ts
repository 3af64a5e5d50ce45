import {
  commentLines,
  passwordSourceLines,
  secretManagerCommand,
} from './passwordSource';
import { stringLiteral } from './quoting';
import {
  CA_FILE_PLACEHOLDER,
  SNIPPET_TITLES,
  Snippet,
  SnippetInput,
} from './types';

function uriQuery(sslmode: SnippetInput['sslmode']): string {
  return sslmode === 'verify-full'
    ? `sslmode=verify-full&sslrootcert=${CA_FILE_PLACEHOLDER}`
    : 'sslmode=require';
}

function hostAndPort(role: SnippetInput['role']): string {
  // An IPv6 address needs brackets in a URI.
  const host = role.host.includes(':') ? `[${role.host}]` : role.host;
  return `${host}:${role.port}`;
}

/**
 * A libpq connection URI without the password: libpq-based clients read it
 * from `PGPASSWORD`. A password in a URI would also need percent-encoding.
 */
export function uriSnippet({ role, sslmode }: SnippetInput): Snippet {
  return {
    format: 'uri',
    title: SNIPPET_TITLES.uri,
    language: 'text',
    code: `postgresql://${encodeURIComponent(role.username)}@${hostAndPort(
      role,
    )}/${encodeURIComponent(role.database)}?${uriQuery(sslmode)}`,
    notes: [
      `No password in the URI: libpq-based clients (psql, pg_dump, psycopg, pgx) read it from PGPASSWORD. Set it from the key password of the Kubernetes Secret ${
        role.kubernetesSecretName
      } (namespace ${role.kubernetesNamespace}), or of ${secretManagerCommand(
        role,
      )}.`,
    ],
  };
}

/** Java with the PostgreSQL JDBC driver (pgjdbc). */
export function jdbcSnippet({ role, sslmode }: SnippetInput): Snippet {
  const url = `jdbc:postgresql://${hostAndPort(role)}/${encodeURIComponent(
    role.database,
  )}?${uriQuery(sslmode)}`;
  const lines = [
    ...commentLines(passwordSourceLines(role, 'DB_PASSWORD'), '//'),
    'import java.sql.Connection;',
    'import java.sql.DriverManager;',
    '',
    `String url = ${stringLiteral(url)};`,
    'Connection connection = DriverManager.getConnection(',
    `    url, ${stringLiteral(role.username)}, System.getenv("DB_PASSWORD"));`,
  ];
  return {
    format: 'jdbc',
    title: SNIPPET_TITLES.jdbc,
    language: 'java',
    code: lines.join('\n'),
    notes: [`JDBC URL: ${url} (user and password passed separately).`],
  };
}
