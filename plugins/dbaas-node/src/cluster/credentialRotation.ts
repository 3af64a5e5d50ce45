import { Client } from 'pg';
import { ConflictError } from '@backstage/errors';
import { credentialTwinName, RoleAccess } from '@dbaas/plugin-dbaas-common';
import { ProvisioningRun } from './ProvisioningRun';
import { generatePassword, scramSha256Verifier } from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import { ensureTwinRole, readRoles, RoleSecretSettings } from './tenantRoles';

/** What one rotation of a role's credential did. Never holds a password. */
export interface CredentialRotationOutcome {
  /** The login user the secret names now. */
  username: string;
  /** The user it named before, whose password still works until the next rotation. */
  previousUsername: string;
}

/**
 * Alternating-users rotation of one role's credential (what AWS Secrets
 * Manager's "alternating users" strategy does): of the role and its twin,
 * the one the secret does NOT name gets a new password, then the secret
 * (same path) is rewritten with that user and password. Sessions and
 * pools still using the previous user's password keep working until the
 * next rotation, which changes that user's password in turn.
 *
 * A database rotated for the first time gets its twin here. Runs while
 * the caller holds the database's advisory lock, so it never interleaves
 * with a reconcile or a drop. A crash between the password change and the
 * secret write leaves the secret's user untouched: the next rotation just
 * picks another password for the other user.
 */
export async function rotateRoleCredential(
  admin: Client,
  run: ProvisioningRun,
  access: RoleAccess,
  settings: RoleSecretSettings,
): Promise<CredentialRotationOutcome> {
  const role = run.names.roles[access];
  const twin = credentialTwinName(run.names.databaseName, access);
  const path = run.names.secretManagerPaths[access];
  const store = settings.secretStore;

  const secret = await run.at(`read secret ${path}`, () => store.get(path));
  if (secret) {
    run.passwords.push(secret.password);
  }
  const existing = await run.at('read roles', () =>
    readRoles(admin, run.names),
  );
  if (!secret || !existing.has(role)) {
    throw new ConflictError(
      `Role ${role} and its secret ${path} do not exist yet; rotate once the database is provisioned`,
    );
  }
  const previousUsername = secret.username === twin ? twin : role;
  const username = previousUsername === twin ? role : twin;
  const password = generatePassword();
  run.passwords.push(password);

  if (username === twin) {
    await ensureTwinRole(admin, run, access, existing.get(twin), {
      password,
      passwordRule: 'rotate',
    });
  } else {
    await ensureTwinRole(admin, run, access, existing.get(twin), {
      password: secret.password,
      passwordRule: 'keep',
    });
    // The role itself: only its password changes (its attributes are the
    // reconcile's job).
    await rotateLoginPassword(admin, run, role, password);
  }
  const { host: endpoint, port } = settings.publicEndpoint;
  await run.at(`store secret ${path}`, () =>
    store.put(path, { username, password, endpoint, port }),
  );
  run.changed(`stored the credential of ${username} in secret ${path}`);
  return { username, previousUsername };
}

async function rotateLoginPassword(
  admin: Client,
  run: ProvisioningRun,
  role: string,
  password: string,
) {
  await run.at(`update role ${role}`, () =>
    admin.query(
      `ALTER ROLE ${quoteIdent(role)} PASSWORD ${quoteLiteral(
        scramSha256Verifier(password),
      )}`,
    ),
  );
  run.changed(`set a new password for role ${role}`);
}
