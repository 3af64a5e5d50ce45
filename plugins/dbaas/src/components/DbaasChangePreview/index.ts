export { DbaasChangePreview } from './DbaasChangePreview';
export { DbaasChangePreviewFieldSchema } from './schema';
export type {
  DbaasChangePreviewProps,
  DbaasChangePreviewUiOptions,
} from './schema';
export { dbaasChangePreviewValidation } from './validation';

/** The `ui:field` templates use to pick this field. */
export const DBAAS_CHANGE_PREVIEW_FIELD = 'DbaasChangePreview';
