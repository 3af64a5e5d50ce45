export { DbaasTenantPicker } from './DbaasTenantPicker';
export { DbaasTenantPickerFieldSchema } from './schema';
export type {
  DbaasTenantPickerProps,
  DbaasTenantPickerUiOptions,
} from './schema';
export { dbaasTenantPickerValidation } from './validation';

/** The `ui:field` templates use to pick this field. */
export const DBAAS_TENANT_PICKER_FIELD = 'DbaasTenantPicker';
