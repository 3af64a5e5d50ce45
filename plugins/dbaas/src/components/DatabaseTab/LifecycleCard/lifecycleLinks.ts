import type { DatabaseMode, DatabaseRef } from '@dbaas/plugin-dbaas-common';

/** The templates of `@dbaas/plugin-scaffolder-backend-module-dbaas`. */
export const LIFECYCLE_TEMPLATES = {
  mode: 'postgres-database-mode',
  chartVersion: 'postgres-database-chart-version',
  delete: 'postgres-database-delete',
} as const;

/**
 * A template's form with the database filled in: the scaffolder reads
 * `?formData=` as the form's first values.
 */
export function templateLink(
  template: keyof typeof LIFECYCLE_TEMPLATES,
  ref: DatabaseRef,
  extra: Record<string, string> = {},
): string {
  const formData = JSON.stringify({
    namespace: ref.namespace,
    name: ref.name,
    ...extra,
  });
  return `/create/templates/default/${
    LIFECYCLE_TEMPLATES[template]
  }?formData=${encodeURIComponent(formData)}`;
}

export function otherMode(mode: DatabaseMode): DatabaseMode {
  return mode === 'protected' ? 'standard' : 'protected';
}
