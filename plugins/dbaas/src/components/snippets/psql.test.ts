import { psqlSnippet } from './psql';
import {
  auroraConnectionInfo,
  directConnectionInfo,
  roleOf,
} from './testConnectionInfo';

const PASSWORD_NOTE =
  'psql reads the password from PGPASSWORD (or asks for it): export PGPASSWORD with the key password of the Kubernetes Secret payments-ledger-write (namespace payments), or of aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write.';

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
});
