import { flywaySnippet, liquibaseSnippet } from './migrations';
import {
  auroraConnectionInfo,
  directConnectionInfo,
  roleOf,
} from './testConnectionInfo';

describe('flywaySnippet', () => {
  it('migrates as the admin role whatever role is picked', () => {
    const info = directConnectionInfo;
    const snippet = flywaySnippet({
      info,
      role: roleOf(info, 'read'),
      sslmode: 'require',
    });

    expect(snippet.code).toBe(
      [
        'flyway -url="jdbc:postgresql://127.0.0.1:55432/payments-ledger?sslmode=require" \\',
        '  -user=payments-ledger-admin \\',
        '  -locations=filesystem:db/migration \\',
        '  migrate',
      ].join('\n'),
    );
    expect(snippet.setup).toBeUndefined();
    expect(snippet.password?.variable).toBe('FLYWAY_PASSWORD');
    expect(snippet.password?.commands[0].code).toMatch(
      /^export FLYWAY_PASSWORD="\$\(.*payments-ledger-admin.*\)"$/,
    );
    expect(snippet.notes[0]).toBe(
      'Migrations run as payments-ledger-admin, the admin role (owner of schema public), whatever role is picked above; your app connects as write or read.',
    );
  });

  it('port-forwards first, quotes a verify-full URL for the shell and says how a job in the cluster connects', () => {
    const info = auroraConnectionInfo;
    const snippet = flywaySnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'verify-full',
    });

    expect(snippet.setup?.code).toBe(info.portForwardCommand);
    expect(snippet.code.split('\n')[0]).toBe(
      'flyway -url="jdbc:postgresql://localhost:5432/payments-ledger?sslmode=verify-full&sslrootcert=rds-ca.pem" \\',
    );
    expect(snippet.notes).toContain(
      'This runs from a laptop, through the port-forward. A job in the cluster connects to rds-proxy.internal:5432 instead, with the password from the Kubernetes Secret payments-ledger-admin.',
    );
  });
});

describe('liquibaseSnippet', () => {
  it('updates from changelog.xml as the admin role, password from LIQUIBASE_COMMAND_PASSWORD', () => {
    const info = { ...directConnectionInfo, secretStore: 'local' as const };
    const snippet = liquibaseSnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'require',
    });

    expect(snippet).toMatchObject({
      format: 'liquibase',
      title: 'Liquibase',
      language: 'bash',
    });
    expect(snippet.code).toBe(
      [
        'liquibase update \\',
        '  --url="jdbc:postgresql://127.0.0.1:55432/payments-ledger?sslmode=require" \\',
        '  --username=payments-ledger-admin \\',
        '  --changelog-file=changelog.xml',
      ].join('\n'),
    );
    expect(snippet.password?.commands.map(command => command.code)).toEqual([
      `export LIQUIBASE_COMMAND_PASSWORD="$(psql "host=127.0.0.1 port=55432 dbname=backstage_plugin_dbaas user=postgres" -Atc "SELECT password FROM dbaas_local_secrets WHERE path = 'customer/payments/payments-ledger-admin'")"`,
    ]);
  });
});
