/**
 * Frontend of the self-service PostgreSQL suite. For apps on the legacy
 * frontend system: the plugin, its pages (databases, restore approvals,
 * billing), the entity Database tab, status card and billing card with
 * `isDbaasDatabaseAvailable`, and the scaffolder field extensions. For apps
 * on either system: the dbaas API (`dbaasApiRef`, `DbaasClient` and their
 * types) and the fields' schemas and validations. Apps on the new frontend
 * system install the plugin from `@dbaas/plugin-dbaas/alpha`.
 *
 * @packageDocumentation
 */

export {
  dbaasPlugin,
  DbaasDatabasesPage,
  DbaasApprovalsPage,
  DbaasBillingPage,
  DbaasDatabasePage,
  DbaasDatabaseNamePickerFieldExtension,
  DbaasTenantPickerFieldExtension,
  DbaasDatabaseNamesFieldExtension,
  DbaasChangePreviewFieldExtension,
  EntityDatabaseContent,
  EntityDatabaseStatusCard,
  EntityDatabaseBillingCard,
  isDbaasDatabaseAvailable,
} from './plugin';
export { dbaasApiRef } from './api/DbaasApi';
export type { DbaasApi } from './api/DbaasApi';
export { DbaasClient } from './api/DbaasClient';
export type {
  BillingCsvFormat,
  ListTenantsOptions,
  Tenant,
  TenantList,
} from './api/types';
export {
  DbaasDatabaseNamePickerFieldSchema,
  dbaasDatabaseNamePickerValidation,
} from './components/DbaasDatabaseNamePicker';
export type { DbaasDatabaseNamePickerUiOptions } from './components/DbaasDatabaseNamePicker';
export {
  DbaasTenantPickerFieldSchema,
  dbaasTenantPickerValidation,
} from './components/DbaasTenantPicker';
export type { DbaasTenantPickerUiOptions } from './components/DbaasTenantPicker';
export { DbaasDatabaseNamesFieldSchema } from './components/DbaasDatabaseNames';
export type {
  DbaasDatabaseNamesUiOptions,
  DbaasDatabaseNamesValue,
} from './components/DbaasDatabaseNames';
export {
  DbaasChangePreviewFieldSchema,
  dbaasChangePreviewValidation,
} from './components/DbaasChangePreview';
export type { DbaasChangePreviewUiOptions } from './components/DbaasChangePreview';
export {
  DBAAS_INVENTORY_LOCATION,
  isDbaasGeneratedEntity,
} from '@dbaas/plugin-dbaas-common';
