/*
 * Errors and response helpers shaped like GitHub's REST API.
 */

export const DOCS_URL = 'https://docs.github.com/rest';

/** An error response: `{ message, documentation_url, errors? }`. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get body() {
    return {
      message: this.message,
      ...this.extra,
      documentation_url: DOCS_URL,
    };
  }
}

export function notFound(): FakeHttpError {
  return new FakeHttpError(404, 'Not Found');
}

/** GitHub's 422 "Validation Failed" with a custom error message. */
export function validationFailed(
  resource: string,
  message: string,
  field?: string,
): FakeHttpError {
  return new FakeHttpError(422, 'Validation Failed', {
    errors: [
      field
        ? { resource, field, code: 'invalid', message }
        : { resource, code: 'custom', message },
    ],
  });
}

/** What a route handler returns. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): FakeResponse => ({ status: 200, body });
export const created = (body: unknown): FakeResponse => ({ status: 201, body });
export const noContent = (): FakeResponse => ({ status: 204 });

/** GitHub wraps base64 content at 60 characters. */
export function toGitHubBase64(content: Buffer): string {
  const b64 = content.toString('base64');
  return `${b64.replace(/(.{60})/g, '$1\n')}\n`;
}
