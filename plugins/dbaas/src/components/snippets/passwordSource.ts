import type {
  ConnectionInfo,
  RoleConnection,
} from '@dbaas/plugin-dbaas-common';
import { conninfo, shellArgument } from './quoting';

/**
 * The command that prints the role's secret from the secret manager. The
 * password is its `password` key; the UI never fetches or shows it.
 */
export function secretManagerCommand(role: RoleConnection): string {
  return `aws secretsmanager get-secret-value --secret-id ${shellArgument(
    role.secretManagerPath,
  )}`;
}

/**
 * Where the password in `variable` comes from, as comment lines (without
 * the comment marker): the Kubernetes Secret in the cluster, the secret
 * manager on a laptop.
 */
export function passwordSourceLines(
  role: RoleConnection,
  variable: string,
): string[] {
  return [
    `${variable}: key password of the Kubernetes Secret ${role.kubernetesSecretName}`,
    `(namespace ${role.kubernetesNamespace}; see the Kubernetes env snippet). On a laptop, take it from`,
    secretManagerCommand(role),
  ];
}

/** Prefixes every line with a comment marker. */
export function commentLines(lines: string[], marker: string): string[] {
  return lines.map(line => `${marker} ${line}`);
}

/** One copyable way to put a role's password into a shell variable. */
export interface PasswordCommand {
  /** Where the password comes from, and what the command needs. */
  label: string;
  /** `export VARIABLE="$(...)"`: the password never shows on screen. */
  code: string;
}

/**
 * The Backstage database of the dbaas backend plugin, where the local
 * secret store keeps its table (`backstage_plugin_` + plugin id).
 */
export const LOCAL_SECRET_STORE_DATABASE = 'backstage_plugin_dbaas';

/** The text of a shell word between double quotes. */
function insideDoubleQuotes(value: string): string {
  return value.replace(/[\\"$`]/g, match => `\\${match}`);
}

/** Prints the role's password from its Kubernetes Secret. */
export function kubectlPasswordCommand(role: RoleConnection): string {
  return `kubectl get secret -n ${shellArgument(
    role.kubernetesNamespace,
  )} ${shellArgument(
    role.kubernetesSecretName,
  )} -o jsonpath='{.data.password}' | base64 -d`;
}

/** Prints the role's password from AWS Secrets Manager (a JSON secret). */
export function awsPasswordCommand(role: RoleConnection): string {
  return `${secretManagerCommand(
    role,
  )} --query SecretString --output text | jq -r .password`;
}

/**
 * Prints the role's password from the local secret store: the table
 * `dbaas_local_secrets` of the portal's own database, which the embedded
 * default runs on the same PostgreSQL as its local cluster.
 */
export function localStorePasswordCommand(role: RoleConnection): string {
  const sql = `SELECT password FROM dbaas_local_secrets WHERE path = '${role.secretManagerPath.replace(
    /'/g,
    "''",
  )}'`;
  return `psql ${shellArgument(
    conninfo([
      ['host', role.host],
      ['port', role.port],
      ['dbname', LOCAL_SECRET_STORE_DATABASE],
      ['user', 'postgres'],
    ]),
  )} -Atc "${insideDoubleQuotes(sql)}"`;
}

/**
 * The commands that put the role's password into `variable`, for the secret
 * store the backend uses: the local store's table on the embedded default;
 * AWS Secrets Manager and the Kubernetes Secret an ExternalSecret mirrors
 * from it otherwise (also when an older backend does not say).
 */
export function passwordCommands(
  info: ConnectionInfo,
  role: RoleConnection,
  variable: string,
): PasswordCommand[] {
  const assign = (command: string) => `export ${variable}="$(${command})"`;
  if (info.secretStore === 'local') {
    return [
      {
        label: `From the local secret store, a table of the portal's own database (embedded default), as its superuser postgres (scripts/dev.sh writes that password to .local/dev/app-config.local.yaml):`,
        code: assign(localStorePasswordCommand(role)),
      },
    ];
  }
  return [
    {
      label: `From AWS Secrets Manager (secret ${role.secretManagerPath}; needs the AWS CLI, jq and read access to the secret):`,
      code: assign(awsPasswordCommand(role)),
    },
    {
      label: `Or from the Kubernetes Secret ${role.kubernetesSecretName} the ExternalSecret keeps in sync (needs read access to Secrets in namespace ${role.kubernetesNamespace}):`,
      code: assign(kubectlPasswordCommand(role)),
    },
  ];
}
