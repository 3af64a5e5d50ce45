import { psqlSnippet } from './psql';
import {
  auroraConnectionInfo,
  directConnectionInfo,
  roleOf,
} from './testConnectionInfo';

const PASSWORD_NOTE =
  'psql reads the password from PGPASSWORD (or asks for it when it is not set).';

describe('psqlSnippet', () => {
  it('connects to the cluster itself when there is no port-forward (the embedded default)', () => {
    const info = directConnectionInfo;
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'require',
    });

    expect(snippet.code).toBe(
      'psql "host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-write sslmode=require"',
    );
    expect(snippet.setup).toBeUndefined();
    expect(snippet.notes).toEqual([PASSWORD_NOTE]);
    expect(snippet).toMatchObject({
      format: 'psql',
      title: 'psql',
      language: 'bash',
    });
  });

  it('adds the CA file for verify-full', () => {
    const info = directConnectionInfo;
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'verify-full',
    });

    expect(snippet.code).toBe(
      'psql "host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-write sslmode=verify-full sslrootcert=rds-ca.pem"',
    );
    expect(snippet.notes).toEqual([PASSWORD_NOTE]);
  });

  it('port-forwards first and connects to the local end', () => {
    const info = auroraConnectionInfo;
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'require',
    });

    expect(snippet.setup).toEqual({
      description:
        'First forward the cluster to your laptop, in a terminal of its own, and keep it running:',
      code: 'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432',
      language: 'bash',
    });
    expect(snippet.code).toBe(
      'psql "host=localhost port=5432 dbname=payments-ledger user=payments-ledger-write sslmode=require"',
    );
    expect(snippet.notes).toEqual([PASSWORD_NOTE]);
  });

  it('warns that verify-full through a port-forward checks the name localhost', () => {
    const info = auroraConnectionInfo;
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'verify-full',
    });

    expect(snippet.code).toBe(
      'psql "host=localhost port=5432 dbname=payments-ledger user=payments-ledger-write sslmode=verify-full sslrootcert=rds-ca.pem"',
    );
    expect(snippet.notes).toEqual([
      PASSWORD_NOTE,
      'verify-full checks that the server certificate names the host you connect to; through the port-forward that is localhost, which it usually does not name. Use require for local connections.',
    ]);
  });

  it('uses the username of the chosen role', () => {
    const info = directConnectionInfo;
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'admin'),
      sslmode: 'require',
    });

    expect(snippet.code).toBe(
      'psql "host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-admin sslmode=require"',
    );
  });

  it('shows the commands that set PGPASSWORD from AWS Secrets Manager or the Kubernetes Secret', () => {
    const info = {
      ...auroraConnectionInfo,
      secretStore: 'aws-secrets-manager' as const,
    };
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'write'),
      sslmode: 'require',
    });

    expect(snippet.password?.variable).toBe('PGPASSWORD');
    expect(snippet.password?.commands.map(command => command.code)).toEqual([
      'export PGPASSWORD="$(aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write --query SecretString --output text | jq -r .password)"',
      `export PGPASSWORD="$(kubectl get secret -n payments payments-ledger-write -o jsonpath='{.data.password}' | base64 -d)"`,
    ]);
  });

  it('reads PGPASSWORD from the local secret store on the embedded default', () => {
    const info = { ...directConnectionInfo, secretStore: 'local' as const };
    const snippet = psqlSnippet({
      info,
      role: roleOf(info, 'admin'),
      sslmode: 'require',
    });

    expect(snippet.password?.commands).toHaveLength(1);
    expect(snippet.password?.commands[0].code).toBe(
      `export PGPASSWORD="$(psql "host=127.0.0.1 port=55432 dbname=backstage_plugin_dbaas user=postgres" -Atc "SELECT password FROM dbaas_local_secrets WHERE path = 'customer/payments/payments-ledger-admin'")"`,
    );
    expect(snippet.password?.commands[0].label).toMatch(/local secret store/);
  });
});
