import {
  attachComponentData,
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { dbaasApiRef } from './api/DbaasApi';
import { DbaasClient } from './api/DbaasClient';
import {
  DBAAS_DATABASE_NAME_PICKER_FIELD,
  DbaasDatabaseNamePicker,
  DbaasDatabaseNamePickerFieldSchema,
  DbaasDatabaseNamePickerUiOptions,
  dbaasDatabaseNamePickerValidation,
} from './components/DbaasDatabaseNamePicker';
import {
  DBAAS_CHANGE_PREVIEW_FIELD,
  DbaasChangePreview,
  DbaasChangePreviewFieldSchema,
  DbaasChangePreviewUiOptions,
  dbaasChangePreviewValidation,
} from './components/DbaasChangePreview';
import {
  DBAAS_TENANT_PICKER_FIELD,
  DbaasTenantPicker,
  DbaasTenantPickerFieldSchema,
  DbaasTenantPickerUiOptions,
  dbaasTenantPickerValidation,
} from './components/DbaasTenantPicker';
import {
  DBAAS_DATABASE_NAMES_FIELD,
  DbaasDatabaseNames,
  DbaasDatabaseNamesFieldSchema,
  DbaasDatabaseNamesUiOptions,
  DbaasDatabaseNamesValue,
} from './components/DbaasDatabaseNames';
import {
  approvalsPageRouteRef,
  billingPageRouteRef,
  databasePageRouteRef,
  rootRouteRef,
} from './routes';
import { isDbaasDatabaseAvailable } from './components/DatabaseTab/linkedDatabases';

/**
 * The dbaas plugin for apps on the legacy frontend system. Apps on the new
 * frontend system use the default export of `@dbaas/plugin-dbaas/alpha`.
 *
 * @public
 */
export const dbaasPlugin = createPlugin({
  id: 'dbaas',
  apis: [
    createApiFactory({
      api: dbaasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DbaasClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The databases page: every database the signed-in user may read, with
 * filters. Mount it at `/dbaas` in legacy apps:
 * `<Route path="/dbaas" element={<DbaasDatabasesPage />} />`.
 *
 * @public
 */
export const DbaasDatabasesPage: () => JSX.Element = dbaasPlugin.provide(
  createRoutableExtension({
    name: 'DbaasDatabasesPage',
    component: () =>
      import('./components/DatabasesPage').then(m => m.DatabasesPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The restore approvals page: the approvers' inbox (approve or reject, the
 * approval bound to the request as shown) and the history of every restore
 * with its step log. Links to it (`approvalsRouteRef`) lead below the
 * databases page, so mount it there in legacy apps:
 * `<Route path="/dbaas/approvals" element={<DbaasApprovalsPage />} />`.
 *
 * @public
 */
export const DbaasApprovalsPage: () => JSX.Element = dbaasPlugin.provide(
  createRoutableExtension({
    name: 'DbaasApprovalsPage',
    component: () =>
      import('./components/ApprovalsPage').then(m => m.ApprovalsPage),
    mountPoint: approvalsPageRouteRef,
  }),
);

/**
 * The billing page: cost per tenant, database and day, with how each figure
 * is computed. Links to it (`billingRouteRef`) lead below the databases
 * page, so mount it there in legacy apps:
 * `<Route path="/dbaas/billing" element={<DbaasBillingPage />} />`.
 *
 * @public
 */
export const DbaasBillingPage: () => JSX.Element = dbaasPlugin.provide(
  createRoutableExtension({
    name: 'DbaasBillingPage',
    component: () =>
      import('./components/BillingPage').then(m => m.BillingPage),
    mountPoint: billingPageRouteRef,
  }),
);

/**
 * One database's page: its lifecycle from the moment it is requested
 * (before its catalog entity exists), its pull requests and history, and a
 * link to its entity once the catalog has it. The request template's links
 * lead here, so mount it below the databases page in legacy apps:
 * `<Route path="/dbaas/databases/:namespace/:name" element={<DbaasDatabasePage />} />`.
 *
 * @public
 */
export const DbaasDatabasePage: () => JSX.Element = dbaasPlugin.provide(
  createRoutableExtension({
    name: 'DbaasDatabasePage',
    component: () =>
      import('./components/DatabasePage').then(m => m.DatabasePage),
    mountPoint: databasePageRouteRef,
  }),
);

/**
 * The `DbaasDatabaseNamePicker` scaffolder field, for
 * `<ScaffolderFieldExtensions>` in legacy apps. Using it is enough to
 * install {@link dbaasPlugin} and its API.
 *
 * @public
 */
export const DbaasDatabaseNamePickerFieldExtension = dbaasPlugin.provide(
  createScaffolderFieldExtension<string, DbaasDatabaseNamePickerUiOptions>({
    name: DBAAS_DATABASE_NAME_PICKER_FIELD,
    component: DbaasDatabaseNamePicker,
    validation: dbaasDatabaseNamePickerValidation,
    schema: DbaasDatabaseNamePickerFieldSchema.schema,
  }),
);

// The field extension does not record which plugin provides it. Marking it
// the way component extensions are marked lets the legacy app find
// dbaasPlugin, and register its API, while walking the scaffolder route.
attachComponentData(
  DbaasDatabaseNamePickerFieldExtension,
  'core.plugin',
  dbaasPlugin,
);

/**
 * The `DbaasTenantPicker` scaffolder field, for `<ScaffolderFieldExtensions>`
 * in legacy apps. Using it is enough to install {@link dbaasPlugin} and its
 * API.
 *
 * @public
 */
export const DbaasTenantPickerFieldExtension = dbaasPlugin.provide(
  createScaffolderFieldExtension<string, DbaasTenantPickerUiOptions>({
    name: DBAAS_TENANT_PICKER_FIELD,
    component: DbaasTenantPicker,
    validation: dbaasTenantPickerValidation,
    schema: DbaasTenantPickerFieldSchema.schema,
  }),
);

attachComponentData(
  DbaasTenantPickerFieldExtension,
  'core.plugin',
  dbaasPlugin,
);

/**
 * The `DbaasDatabaseNames` scaffolder field (read-only: the names the
 * requested database gets, for the form and its Review step), for
 * `<ScaffolderFieldExtensions>` in legacy apps.
 *
 * @public
 */
export const DbaasDatabaseNamesFieldExtension = dbaasPlugin.provide(
  createScaffolderFieldExtension<
    DbaasDatabaseNamesValue,
    DbaasDatabaseNamesUiOptions
  >({
    name: DBAAS_DATABASE_NAMES_FIELD,
    component: DbaasDatabaseNames,
    schema: DbaasDatabaseNamesFieldSchema.schema,
  }),
);

attachComponentData(
  DbaasDatabaseNamesFieldExtension,
  'core.plugin',
  dbaasPlugin,
);

/**
 * The `DbaasChangePreview` scaffolder field of the templates that change or
 * delete a database: the pull request's diff from a dry run, before Create.
 * For `<ScaffolderFieldExtensions>` in legacy apps. Using it is enough to
 * install {@link dbaasPlugin} and its API.
 *
 * @public
 */
export const DbaasChangePreviewFieldExtension = dbaasPlugin.provide(
  createScaffolderFieldExtension<string, DbaasChangePreviewUiOptions>({
    name: DBAAS_CHANGE_PREVIEW_FIELD,
    component: DbaasChangePreview,
    validation: dbaasChangePreviewValidation,
    schema: DbaasChangePreviewFieldSchema.schema,
  }),
);

attachComponentData(
  DbaasChangePreviewFieldExtension,
  'core.plugin',
  dbaasPlugin,
);

/**
 * The Database tab of an entity, for legacy apps: the Status, About,
 * Connection, Metrics, Billing, Snapshots and Restores cards of the database
 * the entity carries in `dbaas.io/database` or depends on. Show it where
 * {@link isDbaasDatabaseAvailable} holds:
 *
 * ```tsx
 * <EntityLayout.Route path="/database" title="Database" if={isDbaasDatabaseAvailable}>
 *   <EntityDatabaseContent />
 * </EntityLayout.Route>
 * ```
 *
 * @public
 */
export const EntityDatabaseContent = dbaasPlugin.provide(
  createComponentExtension({
    name: 'EntityDatabaseContent',
    component: {
      lazy: () => import('./components/DatabaseTab').then(m => m.DatabaseTab),
    },
  }),
);

/**
 * The status of the database an entity carries in `dbaas.io/database`, as a
 * card for the entity's overview in legacy apps.
 *
 * @public
 */
export const EntityDatabaseStatusCard = dbaasPlugin.provide(
  createComponentExtension({
    name: 'EntityDatabaseStatusCard',
    component: {
      lazy: () =>
        import('./components/DatabaseTab').then(
          m => m.EntityDatabaseStatusCard,
        ),
    },
  }),
);

/**
 * This month's cost of the database an entity carries in
 * `dbaas.io/database` and its tenant's month, as a card for the entity's
 * overview in legacy apps (the Database tab shows it already).
 *
 * @public
 */
export const EntityDatabaseBillingCard = dbaasPlugin.provide(
  createComponentExtension({
    name: 'EntityDatabaseBillingCard',
    component: {
      lazy: () =>
        import('./components/DatabaseTab/BillingCard').then(
          m => m.EntityBillingCard,
        ),
    },
  }),
);

export { isDbaasDatabaseAvailable };
