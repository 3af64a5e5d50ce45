import { ConfigReader } from '@backstage/config';
import { ConnectionInfoBuilder } from './ConnectionInfoBuilder';

const aurora = {
  name: 'prod-eu',
  publicEndpoint: { host: 'rds-proxy.internal', port: 5432 },
};

describe('ConnectionInfoBuilder', () => {
  it('describes every role, with secrets by name and path, never a password', () => {
    const info = ConnectionInfoBuilder.fromConfig(new ConfigReader({})).build(
      { namespace: 'payments', name: 'ledger' },
      aurora,
    );
    expect(info).toEqual({
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      portForwardCommand:
        'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432',
      localHost: 'localhost',
      localPort: 5432,
      secretStore: 'local',
      roles: ['read', 'write', 'admin'].map(access => ({
        access,
        host: 'rds-proxy.internal',
        port: 5432,
        database: 'payments-ledger',
        username: `payments-ledger-${access}`,
        kubernetesSecretName: `payments-ledger-${access}`,
        kubernetesNamespace: 'payments',
        secretManagerPath: `customer/payments/payments-ledger-${access}`,
        sslmode: 'require',
      })),
    });
    expect(JSON.stringify(info)).not.toMatch(/password/i);
  });

  it('follows dbaas.connection and dbaas.secrets.pathTemplate', () => {
    const info = ConnectionInfoBuilder.fromConfig(
      new ConfigReader({
        dbaas: {
          connection: {
            portForwardCommand:
              'kubectl port-forward -n db svc/proxy 15432:5432',
            sslmode: 'verify-full',
            pgAdminUrl: 'https://pgadmin.example.com',
          },
          secrets: {
            provider: 'aws-secrets-manager',
            pathTemplate: 'db/{namespace}/{name}/{access}',
          },
        },
      }),
    ).build({ namespace: 'payments', name: 'ledger' }, aurora);
    expect(info.localPort).toBe(15432);
    expect(info.secretStore).toBe('aws-secrets-manager');
    expect(info.pgAdminUrl).toBe('https://pgadmin.example.com');
    expect(info.roles[2]).toMatchObject({
      sslmode: 'verify-full',
      secretManagerPath: 'db/payments/ledger/admin',
    });
  });

  it('points people at the cluster itself when there is no port-forward', () => {
    const info = ConnectionInfoBuilder.fromConfig(
      new ConfigReader({ dbaas: { connection: { direct: true } } }),
    ).build(
      { namespace: 'payments', name: 'ledger' },
      { name: 'local', publicEndpoint: { host: '127.0.0.1', port: 55432 } },
    );
    expect(info).toMatchObject({
      portForwardCommand: '',
      localHost: '127.0.0.1',
      localPort: 55432,
    });
  });

  it('refuses an unknown sslmode', () => {
    expect(() =>
      ConnectionInfoBuilder.fromConfig(
        new ConfigReader({ dbaas: { connection: { sslmode: 'disable' } } }),
      ),
    ).toThrow(
      "dbaas.connection.sslmode must be 'require' or 'verify-full', not 'disable'",
    );
  });
});
