import { ForwardedError } from '@backstage/errors';

/** Error names AWS uses for "slow down". */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'PriorRequestNotComplete',
]);

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = ms =>
  new Promise(resolve => setTimeout(resolve, ms));

export interface AwsRetryOptions {
  sleep?: Sleep;
  /** @defaultValue 6 */
  attempts?: number;
  /** First back-off; doubles each attempt. @defaultValue 1000 */
  baseDelayMs?: number;
}

/** The AWS error name of an error, or of the error it wraps. */
export function awsErrorName(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const name = (current as { name?: string }).name;
    if (name && name !== 'ForwardedError' && name !== 'Error') {
      return name;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isRetryable(error: unknown): boolean {
  const e = error as {
    name?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    THROTTLING.has(e?.name ?? '') ||
    Boolean(e?.$retryable) ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

/**
 * Calls AWS, retrying throttling and server errors with exponential
 * back-off (on top of the SDK's own few quick retries, which a busy
 * account's RDS API limits easily exhaust). Other errors, and the last
 * retryable one, are thrown as a `ForwardedError` saying what was being
 * done; `awsErrorName` still tells the AWS error.
 */
export async function withAwsRetry<T>(
  what: string,
  fn: () => Promise<T>,
  options: AwsRetryOptions = {},
): Promise<T> {
  const { sleep = realSleep, attempts = 6, baseDelayMs = 1000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error)) {
        throw new ForwardedError(`Could not ${what}`, error);
      }
      if (attempt >= attempts) {
        throw new ForwardedError(
          `Could not ${what}: AWS still refused after ${attempts} attempts`,
          error,
        );
      }
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
