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
import { databasesPage } from './alpha/databasesPage';
import { approvalsPage } from './alpha/approvalsPage';
import { billingPage } from './alpha/billingPage';
import { databasePage } from './alpha/databasePage';
import { rootRouteRef } from './routes';
import { entityDatabaseContent } from './alpha/entityDatabaseContent';
import { entityDatabaseStatusCard } from './alpha/entityDatabaseStatusCard';

/**
 * The dbaas frontend plugin: the dbaas API, the databases page (`/dbaas`),
 * the restore approvals page (`/dbaas/approvals`),
 * the billing page (`/dbaas/billing`), one database's page
 * (`/dbaas/databases/:namespace/:name`),
 * the Database entity tab and status card, and the `DbaasTenantPicker`,
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
    approvalsPage,
    billingPage,
    databasePage,
    entityDatabaseContent,
    entityDatabaseStatusCard,
  ],
});
