import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `DbaasDatabaseNamePicker` scaffolder field. Its code loads when the
 * scaffolder first needs its fields, not with the app.
 */
export const databaseNamePickerFormField = FormFieldBlueprint.make({
  name: 'database-name-picker',
  params: {
    field: () =>
      import('./fields/DbaasDatabaseNamePicker').then(
        m => m.DbaasDatabaseNamePickerFormField,
      ),
  },
});
