import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `DbaasTenantPicker` scaffolder field. Its code loads when the
 * scaffolder first needs its fields, not with the app.
 */
export const tenantPickerFormField = FormFieldBlueprint.make({
  name: 'tenant-picker',
  params: {
    field: () =>
      import('./fields/DbaasTenantPicker').then(
        m => m.DbaasTenantPickerFormField,
      ),
  },
});
