import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DATABASE_STATUSES } from '@dbaas/plugin-dbaas-common';
import { DatabasesService } from '../reading/DatabasesService';
import { databaseRefShape } from './databaseRefShape';

/**
 * MCP actions over the inventory: read-only, decided by the same
 * permissions as the REST API (the caller's credentials are passed on).
 */
export function registerDatabaseActions(
  actionsRegistry: ActionsRegistryService,
  databases: DatabasesService,
) {
  actionsRegistry.register({
    name: 'list-databases',
    title: 'List PostgreSQL databases',
    description:
      'Lists the self-service PostgreSQL databases the caller may see, with their status (requested, merged, provisioning, ready, failed, abandoned, deletion-requested, deleted, orphaned, unmanaged). Filter by tenant namespace or status.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          namespace: z
            .string()
            .describe('Tenant (Kubernetes namespace)')
            .optional(),
          status: z
            .enum(DATABASE_STATUSES)
            .describe('Only databases with this status')
            .optional(),
        }),
      output: z =>
        z.object({
          databases: z
            .array(
              z.object({
                namespace: z.string(),
                name: z.string(),
                databaseName: z.string(),
                mode: z.string(),
                status: z.string(),
                statusSince: z.string(),
                cluster: z.string().optional(),
                entityRef: z.string(),
                owners: z.array(z.string()),
                unknownSince: z.string().optional(),
                unknownReason: z.string().optional(),
              }),
            )
            .describe('The databases'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: { databases: await databases.list(input, credentials) },
    }),
  });

  actionsRegistry.register({
    name: 'get-database',
    title: 'Get a PostgreSQL database',
    description:
      'One self-service PostgreSQL database: status and since when, mode, cluster, folder in the apps repository, pull requests and the history of status changes.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          ...databaseRefShape(z),
        }),
      output: z =>
        z.object({
          database: z
            .record(z.string(), z.unknown())
            .describe(
              'The database, as GET /api/dbaas/databases/:namespace/:name returns it',
            ),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        database: { ...(await databases.get(input, credentials)) },
      },
    }),
  });

  actionsRegistry.register({
    name: 'get-database-connection',
    title: 'How to connect to a PostgreSQL database',
    description:
      'Per role (read, write, admin): host, port, database, username, Kubernetes Secret name and secret-manager path, sslmode, and the port-forward command. Never a password: read it from the Secret.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          ...databaseRefShape(z),
        }),
      output: z =>
        z.object({
          connection: z
            .record(z.string(), z.unknown())
            .describe('Connection details per role'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        connection: { ...(await databases.connection(input, credentials)) },
      },
    }),
  });
}
