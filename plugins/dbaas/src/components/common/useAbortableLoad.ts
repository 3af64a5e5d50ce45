import { useCallback, useEffect, useState } from 'react';
import { toError } from './toError';

/** Where a load stands. */
export type LoadState<T> =
  | { state: 'loading' }
  | { state: 'loaded'; value: T }
  | { state: 'failed'; error: Error };

/**
 * Runs `load` when it changes (callers memoize it with useCallback) and
 * again on `retry`. A newer load, or unmounting, aborts the one running,
 * whose result is then dropped.
 */
export function useAbortableLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
): LoadState<T> & { retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<LoadState<T>>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    load(controller.signal).then(
      value => {
        if (!controller.signal.aborted) {
          setResult({ state: 'loaded', value });
        }
      },
      error => {
        if (!controller.signal.aborted) {
          setResult({ state: 'failed', error: toError(error) });
        }
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  const retry = useCallback(() => setAttempt(current => current + 1), []);
  return { ...result, retry };
}
