import type { DatabaseRef } from '@dbaas/plugin-dbaas-common';

/**
 * The database's Grafana dashboard from `dbaas.metrics.grafanaUrl`, or
 * undefined when none is configured, or when the template names the
 * cluster and the database has none yet.
 */
export function grafanaLink(
  template: string | undefined,
  database: DatabaseRef & { cluster?: string },
): string | undefined {
  if (!template) {
    return undefined;
  }
  if (template.includes('{cluster}') && !database.cluster) {
    return undefined;
  }
  const values: Record<string, string> = {
    namespace: database.namespace,
    name: database.name,
    database: `${database.namespace}-${database.name}`,
    cluster: database.cluster ?? '',
  };
  return template.replace(/\{(namespace|name|database|cluster)\}/g, (_, key) =>
    encodeURIComponent(values[key]),
  );
}
