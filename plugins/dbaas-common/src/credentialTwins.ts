import { MAX_IDENTIFIER_BYTES, RoleAccess } from './naming';

/**
 * Suffixes of the second login user behind each role, used by credential
 * rotation (alternating users): `<namespace>-<db>` plus the suffix. None is
 * longer than `-admin`, so every name the naming rules accept for
 * `<namespace>-<db>-admin` also fits its twins in
 * {@link MAX_IDENTIFIER_BYTES}; and the `_`, which database names never
 * hold, keeps a twin from ever being another database's role.
 *
 * @public
 */
export const CREDENTIAL_TWIN_SUFFIXES: Readonly<Record<RoleAccess, string>> = {
  read: '-rd_b',
  write: '-wrt_b',
  admin: '-adm_b',
};

/**
 * The twin login user of a role of database `<namespace>-<db>`: a member of
 * the role (so it has exactly its privileges) that credential rotation
 * alternates with the role itself.
 *
 * @public
 */
export function credentialTwinName(
  databaseName: string,
  access: RoleAccess,
): string {
  const twin = `${databaseName}${CREDENTIAL_TWIN_SUFFIXES[access]}`;
  if (new TextEncoder().encode(twin).length > MAX_IDENTIFIER_BYTES) {
    // Unreachable for names deriveDatabaseNames accepts; never truncate.
    throw new Error(
      `The twin role of ${databaseName} (${access}) would be longer than ${MAX_IDENTIFIER_BYTES} bytes`,
    );
  }
  return twin;
}
