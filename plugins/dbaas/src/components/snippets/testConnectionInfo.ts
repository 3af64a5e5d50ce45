import type {
  ConnectionInfo,
  RoleConnection,
} from '@dbaas/plugin-dbaas-common';

/**
 * A fixed ConnectionInfo for snippet tests, as the backend builds it for
 * `payments/ledger` on an Aurora cluster reached through the RDS proxy.
 */
export const auroraConnectionInfo: ConnectionInfo = {
  namespace: 'payments',
  name: 'ledger',
  databaseName: 'payments-ledger',
  portForwardCommand:
    'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432',
  localHost: 'localhost',
  localPort: 5432,
  pgAdminUrl: 'https://pgadmin.example.com/browser/',
  roles: (['read', 'write', 'admin'] as const).map(
    (access): RoleConnection => ({
      access,
      host: 'rds-proxy.internal',
      port: 5432,
      database: 'payments-ledger',
      username: `payments-ledger-${access}`,
      kubernetesSecretName: `payments-ledger-${access}`,
      kubernetesNamespace: 'payments',
      secretManagerPath: `customer/payments/payments-ledger-${access}`,
      sslmode: 'require',
    }),
  ),
};

/** The embedded default: a local cluster reached as is, no port-forward. */
export const directConnectionInfo: ConnectionInfo = {
  ...auroraConnectionInfo,
  portForwardCommand: '',
  localHost: '127.0.0.1',
  localPort: 55432,
  pgAdminUrl: undefined,
  roles: auroraConnectionInfo.roles.map(role => ({
    ...role,
    host: '127.0.0.1',
    port: 55432,
  })),
};

export function roleOf(
  info: ConnectionInfo,
  access: RoleConnection['access'],
): RoleConnection {
  return info.roles.find(role => role.access === access)!;
}
