import {
  attachComponentData,
  createApiFactory,
  createPlugin,
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
  DBAAS_TENANT_PICKER_FIELD,
  DbaasTenantPicker,
  DbaasTenantPickerFieldSchema,
  DbaasTenantPickerUiOptions,
  dbaasTenantPickerValidation,
} from './components/DbaasTenantPicker';

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
});

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
