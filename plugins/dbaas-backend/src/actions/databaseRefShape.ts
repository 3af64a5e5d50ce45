import type { z as zod } from 'zod/v3';

/**
 * The input fields that name a database, the same in every MCP action:
 * `z.object({ ...databaseRefShape(z), ... })`.
 */
export function databaseRefShape(z: typeof zod) {
  return {
    namespace: z.string().describe('Tenant (Kubernetes namespace)'),
    name: z.string().describe('Database name inside the namespace'),
  };
}
