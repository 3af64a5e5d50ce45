import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { RESTORE_STATES, RESTORE_TARGETS } from '@dbaas/plugin-dbaas-common';
import { RestoresService } from '../restores/RestoresService';
import { databaseRefShape } from './databaseRefShape';

/**
 * MCP actions over restores, with the caller's credentials so that they
 * get the decisions of the REST API: asking for a restore (destructive: an
 * in-place restore replaces the data once approved; it still needs
 * someone else's approval) and listing requests. Approving stays in the
 * portal, with a person looking at the request.
 */
export function registerRestoreActions(
  actionsRegistry: ActionsRegistryService,
  restores: RestoresService,
) {
  actionsRegistry.register({
    name: 'request-database-restore',
    title: 'Request a restore of a PostgreSQL database',
    description:
      "Asks for a restore of one of a database's snapshots (see list-database-snapshots), or on Aurora of the database as it was at any second of the cluster's restore window (pointInTime), into a new database (default; named <name>-restored-<yyyymmddhhmm> unless targetName is given) or in place (replaces the data, keeping the previous data as a safety copy). Needs dbaas.restore.request on the database (its tenant's owners). The request then waits for approval by someone else (two approvers for a protected database in place) and expires if nobody approves it in time. Refused while another restore of the database is active.",
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          ...databaseRefShape(z),
          snapshotId: z
            .string()
            .optional()
            .describe('The snapshot to restore from (or give pointInTime)'),
          pointInTime: z
            .string()
            .optional()
            .describe(
              'Aurora only, instead of snapshotId: restore the database as it was at this moment (ISO 8601 with zone, to the second), inside restoreWindow of list-database-snapshots',
            ),
          target: z
            .enum(RESTORE_TARGETS as ['new-database', 'in-place'])
            .describe('new-database (safe, default) or in-place')
            .default('new-database'),
          reason: z
            .string()
            .min(1)
            .max(2000)
            .describe(
              'Why: shown to the approvers and kept in the audit trail',
            ),
          targetName: z
            .string()
            .optional()
            .describe(
              'new-database only: the new database name in the namespace',
            ),
        }),
      output: z =>
        z.object({
          restore: z
            .record(z.string(), z.unknown())
            .describe('The request, as GET /api/dbaas/restores/:id returns it'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { namespace, name, ...body } = input;
      return {
        output: {
          restore: {
            ...(await restores.create({ namespace, name }, body, {
              credentials,
            })),
          },
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-database-restores',
    title: 'List restore requests',
    description:
      'Restore requests of the databases the caller may see, newest first, with their state (pending-approval, approved, rejected, cancelled, expired, running, succeeded, failed), approvals and step log.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          namespace: z
            .string()
            .optional()
            .describe('Tenant (Kubernetes namespace)'),
          name: z
            .string()
            .optional()
            .describe('Database name inside the namespace'),
          status: z
            .enum(RESTORE_STATES)
            .optional()
            .describe('Only requests in this state'),
        }),
      output: z =>
        z.object({
          restores: z
            .array(z.record(z.string(), z.unknown()))
            .describe('The requests, as GET /api/dbaas/restores returns them'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        restores: (await restores.list(input, credentials)).map(r => ({
          ...r,
        })),
      },
    }),
  });
}
