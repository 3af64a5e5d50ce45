/*
 * The backend of an adopter's app: Backstage's own plugins that the dbaas
 * suite needs, then the suite, wired exactly as the root README's
 * "Add it to your Backstage" says (scripts/adopter-check.sh compares them).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// serves the built frontend (packages/app) on the backend's port
backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
// GitHub webhooks for the dbaas inventory (optional in the guide)
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));

// self-service PostgreSQL
backend.add(import('@dbaas/plugin-dbaas-backend'));
backend.add(import('@dbaas/plugin-catalog-backend-module-dbaas'));
backend.add(import('@dbaas/plugin-scaffolder-backend-module-dbaas'));
backend.add(import('@dbaas/plugin-permission-backend-module-dbaas-policy'));

backend.start();
