import type { RoleConnection } from '@dbaas/plugin-dbaas-common';
import { shellArgument } from './quoting';

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
