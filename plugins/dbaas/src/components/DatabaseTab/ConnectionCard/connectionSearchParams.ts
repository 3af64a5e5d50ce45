import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { RoleConnection, SslMode } from '@dbaas/plugin-dbaas-common';
import { SnippetFormat, isSnippetFormat } from '../../snippets';

export type RoleAccess = RoleConnection['access'];

export const ROLE_CHOICES: RoleAccess[] = ['read', 'write', 'admin'];
export const SSLMODE_CHOICES: SslMode[] = ['require', 'verify-full'];

export const DEFAULT_ROLE: RoleAccess = 'write';
export const DEFAULT_FORMAT: SnippetFormat = 'psql';

/** The query parameters that make a snippet linkable. */
export const CONNECTION_SEARCH_PARAMS = {
  role: 'role',
  sslmode: 'sslmode',
  format: 'format',
} as const;

function oneOf<T extends string>(
  value: string | null,
  choices: readonly T[],
): T | undefined {
  return choices.find(choice => choice === value);
}

/**
 * Role, sslmode and snippet format, kept in the URL (`?role=read&sslmode=
 * verify-full&format=psql`) so a snippet can be linked. Unknown values fall
 * back to the defaults: write, the sslmode the platform configured, and
 * psql. Changes replace the history entry rather than
 * adding one per click.
 */
export function useConnectionSearchParams(defaultSslmode: SslMode) {
  const [searchParams, setSearchParams] = useSearchParams();

  const role =
    oneOf(searchParams.get(CONNECTION_SEARCH_PARAMS.role), ROLE_CHOICES) ??
    DEFAULT_ROLE;
  const sslmode =
    oneOf(
      searchParams.get(CONNECTION_SEARCH_PARAMS.sslmode),
      SSLMODE_CHOICES,
    ) ?? defaultSslmode;
  const formatParam = searchParams.get(CONNECTION_SEARCH_PARAMS.format);
  const format = isSnippetFormat(formatParam) ? formatParam : DEFAULT_FORMAT;

  const set = useCallback(
    (key: string, value: string) =>
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          next.set(key, value);
          return next;
        },
        { replace: true },
      ),
    [setSearchParams],
  );

  return {
    role,
    sslmode,
    format,
    setRole: useCallback(
      (value: RoleAccess) => set(CONNECTION_SEARCH_PARAMS.role, value),
      [set],
    ),
    setSslmode: useCallback(
      (value: SslMode) => set(CONNECTION_SEARCH_PARAMS.sslmode, value),
      [set],
    ),
    setFormat: useCallback(
      (value: SnippetFormat) => set(CONNECTION_SEARCH_PARAMS.format, value),
      [set],
    ),
  };
}
