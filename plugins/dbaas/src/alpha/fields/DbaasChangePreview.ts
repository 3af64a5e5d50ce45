import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DBAAS_CHANGE_PREVIEW_FIELD,
  DbaasChangePreview,
  DbaasChangePreviewFieldSchema,
  dbaasChangePreviewValidation,
} from '../../components/DbaasChangePreview';

export const DbaasChangePreviewFormField = createFormField({
  name: DBAAS_CHANGE_PREVIEW_FIELD,
  component: DbaasChangePreview,
  validation: dbaasChangePreviewValidation,
  schema: DbaasChangePreviewFieldSchema,
});
