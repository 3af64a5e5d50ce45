export { DbaasDatabaseNamePicker } from './DbaasDatabaseNamePicker';
export { DbaasDatabaseNamePickerFieldSchema } from './schema';
export type {
  DbaasDatabaseNamePickerProps,
  DbaasDatabaseNamePickerUiOptions,
} from './schema';
export { dbaasDatabaseNamePickerValidation } from './validation';

/** The `ui:field` templates use to pick this field. */
export const DBAAS_DATABASE_NAME_PICKER_FIELD = 'DbaasDatabaseNamePicker';
