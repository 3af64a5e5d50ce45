import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DBAAS_TENANT_PICKER_FIELD,
  DbaasTenantPicker,
  DbaasTenantPickerFieldSchema,
  dbaasTenantPickerValidation,
} from '../../components/DbaasTenantPicker';

export const DbaasTenantPickerFormField = createFormField({
  name: DBAAS_TENANT_PICKER_FIELD,
  component: DbaasTenantPicker,
  validation: dbaasTenantPickerValidation,
  schema: DbaasTenantPickerFieldSchema,
});
