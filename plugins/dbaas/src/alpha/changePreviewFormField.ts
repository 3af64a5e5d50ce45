import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `DbaasChangePreview` scaffolder field. Its code loads when the
 * scaffolder first needs its fields, not with the app.
 */
export const changePreviewFormField = FormFieldBlueprint.make({
  name: 'change-preview',
  params: {
    field: () =>
      import('./fields/DbaasChangePreview').then(
        m => m.DbaasChangePreviewFormField,
      ),
  },
});
