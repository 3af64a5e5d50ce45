import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Self-service PostgreSQL

Request, use, watch, restore and pay for PostgreSQL databases without a ticket.

- **Request a database**: [Create](/create) opens a pull request that adds it
  to the apps repository; ArgoCD and the chart create it with read, write and
  admin roles and their secrets.
- **Find yours**: databases are catalog entities of kind Resource, type
  \`database\`, owned by the tenant's team.
- **Watch and connect**: each database's Database tab has its status,
  copy-ready connection snippets, metrics and cost.
- **Restore**: take a snapshot or request a restore from the Database tab;
  another person approves it on [Approvals](/dbaas/approvals).
- **Pay**: [Database billing](/dbaas/billing) splits each cluster's cost
  between tenants, and explains how.

This card is defined in \`packages/app/src/modules/home/homeModule.tsx\`.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting started',
    description: 'What this portal offers',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
