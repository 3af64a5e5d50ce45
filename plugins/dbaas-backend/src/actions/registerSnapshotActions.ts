import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { SnapshotsService } from '../snapshots/SnapshotsService';
import { databaseRefShape } from './databaseRefShape';

/**
 * MCP action over snapshots: read-only, decided by the same permission as
 * `GET /databases/:namespace/:name/snapshots` (the caller's credentials
 * are passed on). Taking a snapshot stays a deliberate act in the portal.
 */
export function registerSnapshotActions(
  actionsRegistry: ActionsRegistryService,
  snapshots: SnapshotsService,
) {
  actionsRegistry.register({
    name: 'list-database-snapshots',
    title: 'List the snapshots of a PostgreSQL database',
    description:
      'The snapshots a self-service PostgreSQL database can be restored from, newest first: id, source (Aurora cluster snapshot or pg_dump), type (automated, manual, scheduled, on-demand, final), status, when it was taken and expires, size; with the restore window and the retention in days.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          ...databaseRefShape(z),
        }),
      output: z =>
        z.object({
          retentionDays: z
            .number()
            .describe('Days a snapshot is kept on this environment'),
          restoreWindow: z
            .object({ earliest: z.string(), latest: z.string() })
            .optional()
            .describe('The oldest and newest restorable moments'),
          nextScheduledAt: z
            .string()
            .optional()
            .describe('When the next scheduled snapshot is due'),
          snapshots: z
            .array(
              z.object({
                id: z.string(),
                source: z.string(),
                type: z.string(),
                status: z.string(),
                createdAt: z.string(),
                expiresAt: z.string().optional(),
                sizeBytes: z.number().optional(),
                checksum: z.string().optional(),
                cluster: z.string(),
                engineVersion: z.string().optional(),
                error: z.string().optional(),
              }),
            )
            .describe('Newest first'),
        }),
    },
    action: async ({ input, credentials }) => {
      const result = await snapshots.list(input, credentials);
      return {
        output: {
          retentionDays: result.retentionDays,
          ...(result.restoreWindow
            ? { restoreWindow: result.restoreWindow }
            : {}),
          ...(result.nextScheduledAt
            ? { nextScheduledAt: result.nextScheduledAt }
            : {}),
          snapshots: result.items,
        },
      };
    },
  });
}
