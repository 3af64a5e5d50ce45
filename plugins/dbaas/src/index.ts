/**
 * Frontend of the self-service PostgreSQL suite: the dbaas API client and
 * scaffolder field extensions. This entry point serves apps on the legacy
 * frontend system; the new frontend system uses `@dbaas/plugin-dbaas/alpha`.
 *
 * @packageDocumentation
 */

export {
  dbaasPlugin,
  DbaasDatabasesPage,
  DbaasApprovalsPage,
  DbaasBillingPage,
  DbaasDatabaseNamePickerFieldExtension,
  DbaasTenantPickerFieldExtension,
  EntityDatabaseContent,
  EntityDatabaseStatusCard,
  EntityDatabaseBillingCard,
  isDbaasDatabaseAvailable,
} from './plugin';
export { dbaasApiRef } from './api/DbaasApi';
export type { DbaasApi } from './api/DbaasApi';
export { DbaasClient } from './api/DbaasClient';
export type { ListTenantsOptions, Tenant, TenantList } from './api/types';
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
