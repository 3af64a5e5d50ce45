/**
 * The dbaas plugin for apps on the new frontend system.
 *
 * @packageDocumentation
 */

import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { dbaasApi } from './alpha/dbaasApi';
import { databaseNamePickerFormField } from './alpha/databaseNamePickerFormField';
import { tenantPickerFormField } from './alpha/tenantPickerFormField';
import { databaseNamesFormField } from './alpha/databaseNamesFormField';
import { changePreviewFormField } from './alpha/changePreviewFormField';
import { databasesPage, databasesSubPage } from './alpha/databasesPage';
import { approvalsPage } from './alpha/approvalsPage';
import { billingPage } from './alpha/billingPage';
import { databasePage } from './alpha/databasePage';
import { rootRouteRef } from './routes';
import { entityDatabaseContent } from './alpha/entityDatabaseContent';
import { entityDatabaseStatusCard } from './alpha/entityDatabaseStatusCard';

/**
 * The dbaas frontend plugin: the dbaas API, the databases page (`/dbaas`,
 * one sidebar item) with its tabs: the inventory (`/dbaas/databases`),
 * approvals (`/dbaas/approvals`) and billing (`/dbaas/billing`), one
 * database's page (`/dbaas/databases/:namespace/:name`), the Database
 * entity tab and status card, and the `DbaasTenantPicker`,
 * `DbaasDatabaseNamePicker`, `DbaasDatabaseNames` and `DbaasChangePreview`
 * scaffolder fields.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dbaas',
  title: 'Databases',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    dbaasApi,
    tenantPickerFormField,
    databaseNamePickerFormField,
    databaseNamesFormField,
    changePreviewFormField,
    databasesPage,
    databasesSubPage,
    approvalsPage,
    billingPage,
    databasePage,
    entityDatabaseContent,
    entityDatabaseStatusCard,
  ],
});
