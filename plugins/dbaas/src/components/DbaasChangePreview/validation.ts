import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  isPreviewableAction,
  previewFingerprint,
  previewInputFrom,
} from './previewRequest';
import type { DbaasChangePreviewUiOptions } from './schema';

/**
 * Lets the form go on only with a preview of the values as they are now:
 * the field holds the fingerprint of what it previewed, which no longer
 * matches once a value on an earlier page changed.
 *
 * @public
 */
export const dbaasChangePreviewValidation: CustomFieldValidator<
  string,
  DbaasChangePreviewUiOptions
> = (value, validation, context) => {
  const action = context.uiSchema?.['ui:options']?.action;
  if (!isPreviewableAction(action)) {
    validation.addError(
      `ui:options.action must be dbaas:database:update or dbaas:database:delete, not ${JSON.stringify(
        action ?? null,
      )}`,
    );
    return;
  }
  const request = previewInputFrom(action, context.formData);
  if (
    request.state !== 'complete' ||
    value !== previewFingerprint(action, request.input)
  ) {
    validation.addError(
      'The pull request has not been previewed for these values yet: wait for its diff, or fix what the preview reports',
    );
  }
};
