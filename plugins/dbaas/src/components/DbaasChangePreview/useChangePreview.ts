import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { toError } from '../common/toError';
import {
  PreviewableAction,
  previewFingerprint,
  previewTemplate,
} from './previewRequest';

/** The pull request a dry run of the action showed. */
export interface ChangePreview {
  /** What was previewed (the field's value). */
  fingerprint: string;
  diff: string;
  branchName?: string;
  databaseName?: string;
}

export type ChangePreviewState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'done'; preview: ChangePreview }
  | { state: 'failed'; error: Error };

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Dry-runs the action through the scaffolder (`POST /v2/dry-run`), which
 * runs it with the signed-in user's credentials and `isDryRun`: the same
 * checks as the real run (ownership of the namespace, the database defined,
 * something to change), and the diff instead of a pull request. Again
 * whenever the inputs change, and on `retry`.
 */
export function useChangePreview(
  action: PreviewableAction,
  input: Record<string, string> | undefined,
): ChangePreviewState & { retry: () => void } {
  const scaffolderApi = useApi(scaffolderApiRef);
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<ChangePreviewState>({ state: 'idle' });
  const fingerprint = input ? previewFingerprint(action, input) : undefined;

  useEffect(() => {
    if (!fingerprint) {
      setResult({ state: 'idle' });
      return undefined;
    }
    const { input: request } = JSON.parse(fingerprint) as {
      input: Record<string, string>;
    };
    let current = true;
    setResult({ state: 'loading' });
    scaffolderApi
      .dryRun({ ...previewTemplate(action, request), directoryContents: [] })
      .then(
        response => {
          if (!current) return;
          const diff = optionalString(response.output?.diff);
          if (!diff) {
            setResult({
              state: 'failed',
              error: new Error(
                'The dry run gave no diff; is the dbaas scaffolder module up to date?',
              ),
            });
            return;
          }
          setResult({
            state: 'done',
            preview: {
              fingerprint,
              diff,
              branchName: optionalString(response.output?.branchName),
              databaseName: optionalString(response.output?.databaseName),
            },
          });
        },
        error => {
          if (current) setResult({ state: 'failed', error: toError(error) });
        },
      );
    return () => {
      current = false;
    };
  }, [scaffolderApi, action, fingerprint, attempt]);

  const retry = useCallback(() => setAttempt(n => n + 1), []);
  return { ...result, retry };
}
