import type { PasswordCommand } from './passwordSource';
import type {
  ConnectionInfo,
  RoleConnection,
  SslMode,
} from '@dbaas/plugin-dbaas-common';

/**
 * The formats the connection card offers, in the order of its tabs: first
 * psql, which connects from a laptop right away, then how apps in the
 * cluster get their credentials, then connection strings and drivers, last
 * the schema migration tools (which always connect as admin).
 */
export const SNIPPET_FORMATS = [
  'psql',
  'kubernetes',
  'external-secret',
  'uri',
  'jdbc',
  'node',
  'python',
  'go',
  'dotnet',
  'flyway',
  'liquibase',
] as const;

export type SnippetFormat = (typeof SNIPPET_FORMATS)[number];

/** The label of each format's tab. */
export const SNIPPET_TITLES: Record<SnippetFormat, string> = {
  psql: 'psql',
  kubernetes: 'Kubernetes env',
  'external-secret': 'ExternalSecret',
  uri: 'URI',
  jdbc: 'JDBC',
  node: 'Node.js (pg)',
  python: 'Python (psycopg)',
  go: 'Go (pgx)',
  dotnet: '.NET (Npgsql)',
  flyway: 'Flyway',
  liquibase: 'Liquibase',
};

export function isSnippetFormat(value: unknown): value is SnippetFormat {
  return (SNIPPET_FORMATS as readonly unknown[]).includes(value);
}

/** What every snippet is built from. */
export interface SnippetInput {
  info: ConnectionInfo;
  /** The role the snippet connects as. */
  role: RoleConnection;
  sslmode: SslMode;
}

/**
 * A copy-ready piece of text. `code` is exactly what the copy button copies;
 * `notes` are shown next to it, for what cannot sit in the code itself (a
 * URI or a shell line has no room for comments).
 */
export interface Snippet {
  format: SnippetFormat;
  /** Tab label. */
  title: string;
  /** Language name for syntax highlighting (highlight.js). */
  language: string;
  code: string;
  notes: string[];
  /** A command to run first and keep running, e.g. a port-forward. */
  setup?: { description: string; code: string; language: string };
  /**
   * The commands that put the password into the environment variable the
   * code reads, one per place it can be read from; run one before the code.
   */
  password?: { variable: string; commands: PasswordCommand[] };
}

/**
 * Placeholder for the CA bundle `verify-full` checks the server certificate
 * against. For Aurora it is the RDS bundle (see {@link CA_BUNDLE_URL}).
 */
export const CA_FILE_PLACEHOLDER = 'rds-ca.pem';

/** Where the AWS RDS CA bundle can be downloaded. */
export const CA_BUNDLE_URL =
  'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
