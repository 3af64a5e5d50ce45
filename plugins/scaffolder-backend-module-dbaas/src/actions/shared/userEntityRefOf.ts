import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/** The user behind credentials, or undefined for a service or nobody. */
export function userEntityRefOf(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as
    | Partial<BackstageUserPrincipal>
    | undefined;
  return principal?.type === 'user' ? principal.userEntityRef : undefined;
}
