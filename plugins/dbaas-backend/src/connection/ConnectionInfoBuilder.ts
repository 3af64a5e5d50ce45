import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ConnectionInfo,
  DatabaseRef,
  ROLE_ACCESS,
  SslMode,
  deriveDatabaseNames,
} from '@dbaas/plugin-dbaas-common';

/** What the builder needs to know of a cluster. */
export interface ClusterEndpoint {
  name: string;
  publicEndpoint: { host: string; port: number };
}

/** The default way people reach an Aurora cluster from a laptop (platform guide). */
export const DEFAULT_PORT_FORWARD_COMMAND =
  'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432';

/**
 * Builds what the connection card and snippets show: per role host, port,
 * database, username, Kubernetes Secret and secret-manager path, sslmode,
 * and how people reach the cluster. It has no access to any password.
 */
export class ConnectionInfoBuilder {
  static fromConfig(config: Config): ConnectionInfoBuilder {
    const connection = config.getOptionalConfig('dbaas.connection');
    const sslmode = connection?.getOptionalString('sslmode') ?? 'require';
    if (sslmode !== 'require' && sslmode !== 'verify-full') {
      throw new InputError(
        `dbaas.connection.sslmode must be 'require' or 'verify-full', not '${sslmode}'`,
      );
    }
    return new ConnectionInfoBuilder({
      // `direct: true`: laptops reach the clusters as they are (the
      // embedded default), so there is nothing to port-forward.
      portForwardCommand: connection?.getOptionalBoolean('direct')
        ? ''
        : connection?.getOptionalString('portForwardCommand') ??
          DEFAULT_PORT_FORWARD_COMMAND,
      pgAdminUrl: connection?.getOptionalString('pgAdminUrl'),
      sslmode,
      secretPathTemplate: config.getOptionalString(
        'dbaas.secrets.pathTemplate',
      ),
      // Validated where the store is created (createSecretStore).
      secretStore:
        config.getOptionalString('dbaas.secrets.provider') ===
        'aws-secrets-manager'
          ? 'aws-secrets-manager'
          : 'local',
    });
  }

  constructor(
    private readonly options: {
      portForwardCommand: string;
      pgAdminUrl?: string;
      sslmode: SslMode;
      secretPathTemplate?: string;
      secretStore?: ConnectionInfo['secretStore'];
    },
  ) {}

  build(ref: DatabaseRef, cluster: ClusterEndpoint): ConnectionInfo {
    const names = deriveDatabaseNames(ref.namespace, ref.name, {
      secretPathTemplate: this.options.secretPathTemplate,
    });
    const { portForwardCommand } = this.options;
    // After `kubectl port-forward ... <local>:<remote>` people connect to
    // localhost:<local>; with no port-forward (a cluster reachable as is,
    // like the embedded default's) they connect to the public endpoint.
    const forwardedPort = /(\d+):\d+\s*$/.exec(portForwardCommand)?.[1];
    return {
      namespace: ref.namespace,
      name: ref.name,
      databaseName: names.databaseName,
      roles: ROLE_ACCESS.map(access => ({
        access,
        host: cluster.publicEndpoint.host,
        port: cluster.publicEndpoint.port,
        database: names.databaseName,
        username: names.roles[access],
        kubernetesSecretName: names.kubernetesSecrets[access],
        kubernetesNamespace: ref.namespace,
        secretManagerPath: names.secretManagerPaths[access],
        sslmode: this.options.sslmode,
      })),
      portForwardCommand,
      localHost: forwardedPort ? 'localhost' : cluster.publicEndpoint.host,
      localPort: forwardedPort
        ? Number(forwardedPort)
        : cluster.publicEndpoint.port,
      ...(this.options.pgAdminUrl
        ? { pgAdminUrl: this.options.pgAdminUrl }
        : {}),
      ...(this.options.secretStore
        ? { secretStore: this.options.secretStore }
        : {}),
    };
  }
}
