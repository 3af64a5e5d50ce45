import type { RoleConnection } from '@dbaas/plugin-dbaas-common';
import { buildSnippet, buildSnippets } from './buildSnippet';
import {
  auroraConnectionInfo,
  directConnectionInfo,
  roleOf,
} from './testConnectionInfo';
import { SNIPPET_FORMATS, Snippet, SnippetFormat } from './types';

/** Everything a snippet shows: code, setup, notes, password commands. */
function textOf(snippet: Snippet): string {
  return [
    snippet.code,
    snippet.setup?.code ?? '',
    ...snippet.notes,
    ...(snippet.password?.commands ?? []).flatMap(({ label, code }) => [
      label,
      code,
    ]),
  ].join('\n');
}

/** The migration tools connect as admin whatever role is picked. */
function connectsAs(format: SnippetFormat, role: RoleConnection) {
  return format === 'flyway' || format === 'liquibase'
    ? roleOf(auroraConnectionInfo, 'admin')
    : role;
}

/**
 * A password the API never sends. It is slipped into the roles here so a
 * snippet that printed whatever it was given would be caught.
 */
const PLANTED_PASSWORD = 'Pl4nted-S3cret';

const cases = [auroraConnectionInfo, directConnectionInfo].flatMap(info =>
  (['require', 'verify-full'] as const).flatMap(sslmode =>
    info.roles.map(role => ({
      info,
      sslmode,
      role: { ...role, password: PLANTED_PASSWORD } as RoleConnection,
    })),
  ),
);

describe('buildSnippets', () => {
  it('builds every format, in the order of the tabs', () => {
    const snippets = buildSnippets({
      info: auroraConnectionInfo,
      role: roleOf(auroraConnectionInfo, 'write'),
      sslmode: 'require',
    });

    expect(snippets.map(snippet => snippet.format)).toEqual(SNIPPET_FORMATS);
    expect(snippets.map(snippet => snippet.title)).toEqual([
      'psql',
      'Kubernetes env',
      'ExternalSecret',
      'URI',
      'JDBC',
      'Node.js (pg)',
      'Python (psycopg)',
      'Go (pgx)',
      '.NET (Npgsql)',
      'Flyway',
      'Liquibase',
    ]);
  });

  it.each(cases)(
    'never holds a password value ($info.localHost, $sslmode, $role.access)',
    input => {
      for (const snippet of buildSnippets(input)) {
        const text = textOf(snippet);
        expect(text).not.toContain(PLANTED_PASSWORD);
        // No password assigned a literal: only secrets, variables and the
        // output of a command (`export PGPASSWORD="$(...)"`).
        expect(text).not.toMatch(/password\s*[:=]\s*['"](?!\$\()[^'"]/i);
        expect(text).not.toMatch(/PGPASSWORD=(?!"\$\()\S/);
        expect(text).not.toMatch(/\bpassword=(?!os\.environ\[)/i);
        expect(text).not.toMatch(/postgres(ql)?:\/\/[^@\s/]*:[^@\s/]*@/);
      }
    },
  );

  // The role only changes names, which the cases above cover: one role here.
  const formatCases = cases
    .filter(({ role }) => role.access === 'write')
    .flatMap(input => SNIPPET_FORMATS.map(format => ({ ...input, format })));
  const connectingCases = formatCases.filter(
    ({ format }) => format !== 'external-secret',
  );

  it.each(formatCases)(
    'names the Secret the password is in ($format, $info.localHost, $sslmode, $role.access)',
    ({ format, ...input }) => {
      expect(textOf(buildSnippet(format, input))).toContain(
        connectsAs(format, input.role).kubernetesSecretName,
      );
    },
  );

  it.each(connectingCases)(
    'reads the password from an environment variable ($format, $info.localHost, $sslmode, $role.access)',
    ({ format, ...input }) => {
      expect(textOf(buildSnippet(format, input))).toMatch(
        /\b(DB_PASSWORD|PGPASSWORD|FLYWAY_PASSWORD|LIQUIBASE_COMMAND_PASSWORD)\b/,
      );
    },
  );

  it.each(formatCases.filter(({ format }) => format !== 'kubernetes'))(
    'says how to read the password from the secret manager ($format, $info.localHost, $sslmode, $role.access)',
    ({ format, ...input }) => {
      expect(textOf(buildSnippet(format, input))).toContain(
        `aws secretsmanager get-secret-value --secret-id ${
          connectsAs(format, input.role).secretManagerPath
        }`,
      );
    },
  );

  it('fills the Secret from the secret manager in the ExternalSecret', () => {
    const role = roleOf(auroraConnectionInfo, 'read');
    const { code } = buildSnippet('external-secret', {
      info: auroraConnectionInfo,
      role,
      sslmode: 'require',
    });
    expect(code).toContain(
      '    - secretKey: password\n      remoteRef:\n        key: customer/payments/payments-ledger-read\n        property: password',
    );
  });

  const caNote =
    "rds-ca.pem stands for the CA bundle of the cluster's certificate; for Aurora, download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem.";
  const verifyFull = {
    info: directConnectionInfo,
    role: roleOf(directConnectionInfo, 'write'),
    sslmode: 'verify-full' as const,
  };

  it.each(SNIPPET_FORMATS.filter(format => format !== 'external-secret'))(
    'explains the CA placeholder for verify-full (%s)',
    format => {
      const { notes, code } = buildSnippet(format, verifyFull);
      expect(notes).toContain(caNote);
      expect(code).toContain('rds-ca.pem');
    },
  );

  it('has no CA in the ExternalSecret, which does not connect', () => {
    const { notes, code } = buildSnippet('external-secret', verifyFull);
    expect(notes).not.toContain(caNote);
    expect(code).not.toContain('rds-ca.pem');
  });

  it('adds no CA note for require', () => {
    for (const snippet of buildSnippets({
      info: directConnectionInfo,
      role: roleOf(directConnectionInfo, 'write'),
      sslmode: 'require',
    })) {
      expect(snippet.notes.join(' ')).not.toContain('rds-ca.pem');
      expect(snippet.code).not.toContain('rds-ca.pem');
      expect(snippet.code).not.toContain('verify-full');
    }
  });
});
