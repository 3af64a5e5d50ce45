import type { RoleConnection } from '@dbaas/plugin-dbaas-common';
import { passwordCommands } from './passwordSource';
import { portForwardSetup } from './psql';
import { shellArgument } from './quoting';
import {
  CA_FILE_PLACEHOLDER,
  SNIPPET_TITLES,
  Snippet,
  SnippetInput,
} from './types';

/**
 * Schema migrations (Flyway, Liquibase: the tools the platform guide names)
 * create and alter tables, which only the admin role may do (it owns
 * schema public), whichever role the card has picked. Apps then connect as
 * write or read.
 */
function adminRole({ info, role }: SnippetInput): RoleConnection {
  return info.roles.find(candidate => candidate.access === 'admin') ?? role;
}

/** The JDBC URL both tools take, from a laptop (through the port-forward). */
function laptopJdbcUrl({ info, sslmode }: SnippetInput, role: RoleConnection) {
  const query =
    sslmode === 'verify-full'
      ? `sslmode=verify-full&sslrootcert=${CA_FILE_PLACEHOLDER}`
      : 'sslmode=require';
  return `jdbc:postgresql://${info.localHost}:${
    info.localPort
  }/${encodeURIComponent(role.database)}?${query}`;
}

function migrationNotes(
  input: SnippetInput,
  role: RoleConnection,
  variable: string,
): string[] {
  const notes = [
    `Migrations run as ${role.username}, the admin role (owner of schema public), whatever role is picked above; your app connects as write or read.`,
    `The tool reads the password from ${variable}; nothing else holds it.`,
  ];
  if (input.info.portForwardCommand) {
    notes.push(
      `This runs from a laptop, through the port-forward. A job in the cluster connects to ${role.host}:${role.port} instead, with the password from the Kubernetes Secret ${role.kubernetesSecretName}.`,
    );
  }
  return notes;
}

/** Flyway's command line, migrating with the SQL files of `db/migration`. */
export function flywaySnippet(input: SnippetInput): Snippet {
  const role = adminRole(input);
  const variable = 'FLYWAY_PASSWORD';
  return {
    format: 'flyway',
    title: SNIPPET_TITLES.flyway,
    language: 'bash',
    code: [
      `flyway -url=${shellArgument(laptopJdbcUrl(input, role))} \\`,
      `  -user=${shellArgument(role.username)} \\`,
      '  -locations=filesystem:db/migration \\',
      '  migrate',
    ].join('\n'),
    notes: migrationNotes(input, role, variable),
    password: {
      variable,
      commands: passwordCommands(input.info, role, variable),
    },
    ...portForwardSetup(input.info),
  };
}

/** Liquibase's command line, applying `changelog.xml`. */
export function liquibaseSnippet(input: SnippetInput): Snippet {
  const role = adminRole(input);
  const variable = 'LIQUIBASE_COMMAND_PASSWORD';
  return {
    format: 'liquibase',
    title: SNIPPET_TITLES.liquibase,
    language: 'bash',
    code: [
      'liquibase update \\',
      `  --url=${shellArgument(laptopJdbcUrl(input, role))} \\`,
      `  --username=${shellArgument(role.username)} \\`,
      '  --changelog-file=changelog.xml',
    ].join('\n'),
    notes: migrationNotes(input, role, variable),
    password: {
      variable,
      commands: passwordCommands(input.info, role, variable),
    },
    ...portForwardSetup(input.info),
  };
}
