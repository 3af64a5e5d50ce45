import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DBAAS_DATABASE_NAME_PICKER_FIELD,
  DbaasDatabaseNamePicker,
  DbaasDatabaseNamePickerFieldSchema,
  dbaasDatabaseNamePickerValidation,
} from '../../components/DbaasDatabaseNamePicker';

export const DbaasDatabaseNamePickerFormField = createFormField({
  name: DBAAS_DATABASE_NAME_PICKER_FIELD,
  component: DbaasDatabaseNamePicker,
  validation: dbaasDatabaseNamePickerValidation,
  schema: DbaasDatabaseNamePickerFieldSchema,
});
