import { passwordCommands } from './passwordSource';
import { conninfo, shellArgument } from './quoting';
import {
  CA_FILE_PLACEHOLDER,
  SNIPPET_TITLES,
  Snippet,
  SnippetInput,
} from './types';

/**
 * The libpq connection parameters after `host`/`port`, shared by psql and
 * the URI-less drivers.
 */
export function sslParameters(
  sslmode: SnippetInput['sslmode'],
): Array<readonly [string, string]> {
  return sslmode === 'verify-full'
    ? [
        ['sslmode', 'verify-full'],
        ['sslrootcert', CA_FILE_PLACEHOLDER],
      ]
    : [['sslmode', 'require']];
}

/**
 * psql from a laptop: one shell line, against the local end of the
 * port-forward, or the cluster itself when there is nothing to forward
 * (`portForwardCommand` empty). psql reads the password from `PGPASSWORD`
 * (or asks for it), so the line holds none.
 */
export function psqlSnippet({ info, role, sslmode }: SnippetInput): Snippet {
  const parameters = conninfo([
    ['host', info.localHost],
    ['port', info.localPort],
    ['dbname', role.database],
    ['user', role.username],
    ...sslParameters(sslmode),
  ]);
  const notes = [
    'psql reads the password from PGPASSWORD (or asks for it when it is not set).',
  ];
  if (info.portForwardCommand && sslmode === 'verify-full') {
    notes.push(
      `verify-full checks that the server certificate names the host you connect to; through the port-forward that is ${info.localHost}, which it usually does not name. Use require for local connections.`,
    );
  }
  return {
    format: 'psql',
    title: SNIPPET_TITLES.psql,
    language: 'bash',
    code: `psql ${shellArgument(parameters)}`,
    notes,
    password: {
      variable: 'PGPASSWORD',
      commands: passwordCommands(info, role, 'PGPASSWORD'),
    },
    ...portForwardSetup(info),
  };
}

/** The port-forward to keep running, when the cluster needs one. */
export function portForwardSetup(
  info: SnippetInput['info'],
): Pick<Snippet, 'setup'> {
  return info.portForwardCommand
    ? {
        setup: {
          description:
            'First forward the cluster to your laptop, in a terminal of its own, and keep it running:',
          code: info.portForwardCommand,
          language: 'bash',
        },
      }
    : {};
}
