import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `DbaasDatabaseNames` scaffolder field. Its code loads when the
 * scaffolder first needs its fields, not with the app.
 */
export const databaseNamesFormField = FormFieldBlueprint.make({
  name: 'database-names',
  params: {
    field: () =>
      import('./fields/DbaasDatabaseNames').then(
        m => m.DbaasDatabaseNamesFormField,
      ),
  },
});
