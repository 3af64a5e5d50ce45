import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Self-service PostgreSQL

This portal gives every team PostgreSQL databases without a ticket:
request one, connect to it, watch it, restore it and see what it costs.

- **Request a database**: [Request a database](/create/templates/default/postgres-database)
  opens a pull request that adds it to the apps repository; the database,
  its read, write and admin roles and their secrets follow.
- **Find yours**: [Databases](/dbaas) lists every database you may see,
  with its tenant and status; each is also a catalog entity (kind Resource,
  type \`database\`) owned by its tenant's team.
- **Connect**: a database's Database tab starts with copy-ready snippets
  (psql, drivers, Flyway, Liquibase) and the command that reads the
  password; then its status, metrics and cost.
- **Look inside**: ask for personal, short-lived access on the Database
  tab instead of using an application's password.
- **Restore**: take a snapshot or request a restore on the Database tab;
  another person decides on [Approvals](/dbaas/approvals).
- **Pay**: [Billing](/dbaas/billing) splits each cluster's cost between
  tenants, and explains how.
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
