import {
  awsPasswordCommand,
  kubectlPasswordCommand,
  localStorePasswordCommand,
  passwordCommands,
} from './passwordSource';
import { auroraConnectionInfo, roleOf } from './testConnectionInfo';

const role = roleOf(auroraConnectionInfo, 'read');

describe('password commands', () => {
  it('prints the password of the Kubernetes Secret', () => {
    expect(kubectlPasswordCommand(role)).toBe(
      "kubectl get secret -n payments payments-ledger-read -o jsonpath='{.data.password}' | base64 -d",
    );
  });

  it('prints the password key of the JSON secret in AWS Secrets Manager', () => {
    expect(awsPasswordCommand(role)).toBe(
      'aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-read --query SecretString --output text | jq -r .password',
    );
  });

  it('quotes a configured secret path for SQL and for the shell', () => {
    const odd = { ...role, secretManagerPath: `it's/"$x"` };
    const command = localStorePasswordCommand(odd);
    expect(command).toContain(
      `-Atc "SELECT password FROM dbaas_local_secrets WHERE path = 'it''s/\\"\\$x\\"'"`,
    );
    // What bash hands psql is the SQL with the path as a literal.
    const sql = /-Atc "(.*)"$/.exec(command)![1].replace(/\\(.)/g, '$1');
    expect(sql).toBe(
      `SELECT password FROM dbaas_local_secrets WHERE path = 'it''s/"$x"'`,
    );
  });

  it('offers AWS Secrets Manager, then kubectl, when the backend does not name its store', () => {
    const commands = passwordCommands(
      auroraConnectionInfo,
      role,
      'DB_PASSWORD',
    );
    expect(commands.map(command => command.code)).toEqual([
      `export DB_PASSWORD="$(${awsPasswordCommand(role)})"`,
      `export DB_PASSWORD="$(${kubectlPasswordCommand(role)})"`,
    ]);
    expect(commands[1].label).toContain('ExternalSecret');
  });

  it('offers only the local store on the embedded default', () => {
    const commands = passwordCommands(
      { ...auroraConnectionInfo, secretStore: 'local' },
      role,
      'PGPASSWORD',
    );
    expect(commands.map(command => command.code)).toEqual([
      `export PGPASSWORD="$(${localStorePasswordCommand(role)})"`,
    ]);
  });
});
