import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ACCESS_GRANT_STATES, ROLE_ACCESS } from '@dbaas/plugin-dbaas-common';
import { AccessGrantsService } from '../accessGrants/AccessGrantsService';
import { databaseRefShape } from './databaseRefShape';

/**
 * MCP actions over personal access, with the caller's credentials so that
 * they get the decisions of the REST API: asking for access, listing
 * grants and revoking one. Activating stays in the portal: the password is
 * shown once, to the person, never to an agent.
 */
export function registerAccessActions(
  actionsRegistry: ActionsRegistryService,
  accessGrants: AccessGrantsService,
) {
  actionsRegistry.register({
    name: 'request-database-access',
    title: 'Ask for temporary personal access to a PostgreSQL database',
    description:
      "Asks for personal access to a database as a member of its read, write or admin role, for durationMinutes (at most dbaas.access.maxDuration, 8 hours by default), with a reason. Needs dbaas.access.request on the database (its tenant's owners). Depending on dbaas.access.approval (by default: owners on non-production standard databases) the grant is approved at once or waits for someone else with dbaas.access.approve. The requester then activates it in the portal (database page, Database tab), which shows a personal password once; it is never returned by an action.",
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          ...databaseRefShape(z),
          access: z
            .enum(ROLE_ACCESS as unknown as ['read', 'write', 'admin'])
            .describe('read, write or admin'),
          durationMinutes: z
            .number()
            .int()
            .min(1)
            .describe('How long the access lasts once activated, in minutes'),
          reason: z
            .string()
            .min(1)
            .max(2000)
            .describe(
              'Why: shown to approvers and owners, kept in the audit trail',
            ),
        }),
      output: z =>
        z.object({
          grant: z
            .record(z.string(), z.unknown())
            .describe(
              'The grant, as GET /api/dbaas/access-grants/:id returns it',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { namespace, name, ...body } = input;
      return {
        output: {
          grant: {
            ...(await accessGrants.request({ namespace, name }, body, {
              credentials,
            })),
          },
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-database-access-grants',
    title: 'List personal access grants',
    description:
      'Personal access grants the caller may see, newest first: who, which role (read, write, admin), why, until when, and their state (pending, approved, active, rejected, expired, revoked, failed). Never a password.',
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
          state: z
            .enum(ACCESS_GRANT_STATES)
            .optional()
            .describe('Only grants in this state'),
        }),
      output: z =>
        z.object({
          grants: z
            .array(z.record(z.string(), z.unknown()))
            .describe(
              'The grants, as GET /api/dbaas/access-grants returns them',
            ),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        grants: (await accessGrants.list(input, credentials)).map(g => ({
          ...g,
        })),
      },
    }),
  });

  actionsRegistry.register({
    name: 'revoke-database-access',
    title: 'Revoke a personal access grant',
    description:
      "Ends a pending, approved or active personal access grant now: its login role's sessions are terminated and the role dropped. Allowed to the requester, the tenant's owners and anyone with dbaas.access.approve.",
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          id: z.string().describe('The grant id'),
          reason: z.string().max(2000).optional().describe('Why'),
        }),
      output: z =>
        z.object({
          grant: z
            .record(z.string(), z.unknown())
            .describe('The grant, revoked'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        grant: {
          ...(await accessGrants.revoke(
            input.id,
            { reason: input.reason },
            { credentials },
          )),
        },
      },
    }),
  });
}
