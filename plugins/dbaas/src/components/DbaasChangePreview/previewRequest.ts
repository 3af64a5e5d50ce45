import type { ScaffolderDryRunOptions } from '@backstage/plugin-scaffolder-react';

/** The dbaas actions whose pull request the field can preview. */
export const PREVIEWABLE_ACTIONS = {
  'dbaas:database:update': {
    inputs: ['namespace', 'name', 'mode', 'chartVersion'],
    required: ['namespace', 'name'],
    /** At least one of these must be given. */
    oneOf: ['mode', 'chartVersion'],
  },
  'dbaas:database:delete': {
    inputs: ['namespace', 'name', 'reason'],
    required: ['namespace', 'name', 'reason'],
    oneOf: [],
  },
} as const;

/** @public */
export type PreviewableAction = keyof typeof PREVIEWABLE_ACTIONS;

export function isPreviewableAction(
  action: unknown,
): action is PreviewableAction {
  return typeof action === 'string' && action in PREVIEWABLE_ACTIONS;
}

/** What the preview would send, or which fields must be filled in first. */
export type PreviewInput =
  | { state: 'complete'; input: Record<string, string> }
  | { state: 'incomplete'; missing: string[] };

/**
 * The action's inputs from the form's values of the same names (strings
 * only, trimmed empty ones left out).
 */
export function previewInputFrom(
  action: PreviewableAction,
  formData: unknown,
): PreviewInput {
  const values =
    typeof formData === 'object' && formData !== null
      ? (formData as Record<string, unknown>)
      : {};
  const input: Record<string, string> = {};
  for (const key of PREVIEWABLE_ACTIONS[action].inputs) {
    const value = values[key];
    if (typeof value === 'string' && value.trim() !== '') {
      input[key] = value;
    }
  }
  const { required, oneOf } = PREVIEWABLE_ACTIONS[action];
  const missing: string[] = required.filter(key => !(key in input));
  if (oneOf.length > 0 && !oneOf.some(key => key in input)) {
    missing.push(oneOf.join(' or '));
  }
  return missing.length > 0
    ? { state: 'incomplete', missing }
    : { state: 'complete', input };
}

/**
 * The field's value once a preview succeeded: which action and inputs it
 * showed. The form refuses to go on when the values changed since.
 */
export function previewFingerprint(
  action: PreviewableAction,
  input: Record<string, string>,
): string {
  const sorted = Object.fromEntries(
    Object.keys(input)
      .sort()
      .map(key => [key, input[key]]),
  );
  return JSON.stringify({ action, input: sorted });
}

/**
 * A one-step template for the scaffolder's dry run. The values travel as
 * parameters and the step reads them with `${{ parameters.<name> }}`, so
 * what a user typed is never evaluated as a template expression.
 */
export function previewTemplate(
  action: PreviewableAction,
  input: Record<string, string>,
): Pick<ScaffolderDryRunOptions, 'template' | 'values'> {
  return {
    template: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'dbaas-change-preview' },
      spec: {
        type: 'dbaas-preview',
        parameters: [],
        steps: [
          {
            id: 'change',
            name: 'Preview the pull request',
            action,
            input: Object.fromEntries(
              Object.keys(input).map(key => [
                key,
                `\${{ parameters.${key} }}`,
              ]),
            ),
          },
        ],
        output: {
          diff: '${{ steps.change.output.diff }}',
          branchName: '${{ steps.change.output.branchName }}',
          databaseName: '${{ steps.change.output.databaseName }}',
        },
      },
    },
    values: input,
  };
}
