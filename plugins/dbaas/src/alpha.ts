/**
 * The dbaas plugin for apps on the new frontend system.
 *
 * @packageDocumentation
 */

import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { dbaasApi } from './alpha/dbaasApi';
import { databaseNamePickerFormField } from './alpha/databaseNamePickerFormField';
import { tenantPickerFormField } from './alpha/tenantPickerFormField';

/**
 * The dbaas frontend plugin: the dbaas API and the `DbaasTenantPicker` and
 * `DbaasDatabaseNamePicker` scaffolder fields.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dbaas',
  title: 'Databases',
  info: { packageJson: () => import('../package.json') },
  extensions: [dbaasApi, tenantPickerFormField, databaseNamePickerFormField],
});
