import { useCallback, useEffect, useState } from 'react';
import { toError } from './toError';

/** Where a polled load stands. */
export type PolledLoad<T> =
  | { state: 'loading' }
  | {
      state: 'loaded';
      value: T;
      /** The last poll's failure, while the value shown is older. */
      pollError?: Error;
    }
  | { state: 'failed'; error: Error };

export interface PolledLoadOptions<T> {
  /** Whether to load again after `intervalMs`, given the latest value. */
  pollWhile: (value: T) => boolean;
  intervalMs: number;
}

/**
 * Runs `load` (memoized by the caller), and again every `intervalMs` while
 * `pollWhile` holds for the latest value. `reload` loads at once, keeping
 * the value on screen meanwhile. A failed poll keeps the last value and
 * tries again at the next interval: during an incident the page must not
 * go blank because one request timed out. Unmounting, or a new `load`,
 * aborts the request running and stops the timer.
 */
export function usePolledLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  { pollWhile, intervalMs }: PolledLoadOptions<T>,
): PolledLoad<T> & { reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<PolledLoad<T>>({ state: 'loading' });

  // A new load (another database) starts from scratch.
  useEffect(() => setResult({ state: 'loading' }), [load]);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastValue: { value: T } | undefined;

    const run = async () => {
      try {
        const value = await load(controller.signal);
        if (controller.signal.aborted) {
          return;
        }
        lastValue = { value };
        setResult({ state: 'loaded', value });
        if (pollWhile(value)) {
          timer = setTimeout(run, intervalMs);
        }
      } catch (error) {
        if (controller.signal.aborted) {
          return;
        }
        setResult(previous => {
          if (previous.state === 'loaded') {
            return { ...previous, pollError: toError(error) };
          }
          return { state: 'failed', error: toError(error) };
        });
        const shown = lastValue;
        if (shown && pollWhile(shown.value)) {
          timer = setTimeout(run, intervalMs);
        }
      }
    };
    run();
    return () => {
      controller.abort();
      if (timer) {
        clearTimeout(timer);
      }
    };
    // pollWhile is read at each poll; callers pass a stable function.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load, attempt, intervalMs]);

  const reload = useCallback(() => setAttempt(current => current + 1), []);
  return { ...result, reload };
}
