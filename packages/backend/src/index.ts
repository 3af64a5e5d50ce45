/*
 * The portal's backend: Backstage's core plugins plus the self-service
 * PostgreSQL suite (dbaas). See the repository README for the embedded default.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: on the embedded default people sign in as one of a few catalog users
// (localUsers, src/auth), or as the guest
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./auth'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder, with the GitHub actions and our database actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@dbaas/plugin-scaffolder-backend-module-dbaas'));

// permissions: the dbaas roles; every other plugin's permissions are allowed
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@dbaas/plugin-permission-backend-module-dbaas-policy'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// MCP actions
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// events: GitHub webhooks at POST /api/events/http/github (signature checked
// with events.modules.github.webhookSecret; the route exists only with a
// secret), published as github.<event>: the dbaas inventory syncs on a push
// or pull request of the apps repository
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));

// self-service PostgreSQL: the plugin and its catalog entities
backend.add(import('@dbaas/plugin-dbaas-backend'));
backend.add(import('@dbaas/plugin-catalog-backend-module-dbaas'));

backend.start();
