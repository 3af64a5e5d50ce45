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
