import { Client } from 'pg';
import { DerivedDatabaseNames, RoleAccess } from '@dbaas/plugin-dbaas-common';
import { DatabaseSecretStore, RoleSecret } from '../secrets/types';
import { ProvisioningRun } from './ProvisioningRun';
import { terminateSessionsOfRole } from './ProvisionerSessions';
import {
  generatePassword,
  scramSha256Verifier,
  scramVerifierMatches,
} from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import { DUPLICATE_OBJECT, INSUFFICIENT_PRIVILEGE, sqlState } from './sqlState';

/** Reconcile order: the admin role first, since it owns the database. */
const ROLE_ORDER: readonly RoleAccess[] = ['admin', 'write', 'read'];

/**
 * Attributes a tenant role must never have. Re-applied when they drift, so
 * a tenant can never gain cluster-wide powers through its roles.
 */
const ROLE_ATTRIBUTES =
  'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

/** Where the roles' secrets are kept, and the endpoint written into them. */
export interface RoleSecretSettings {
  secretStore: DatabaseSecretStore;
  publicEndpoint: { host: string; port: number };
}

interface ExistingRole {
  /** `pg_authid.rolpassword`; undefined when we may not read it. */
  verifier?: string | null;
  attributesOk: boolean;
}

/** The `-admin`, `-write` and `-read` login roles and their secrets, in that order. */
export async function ensureTenantRoles(
  admin: Client,
  run: ProvisioningRun,
  settings: RoleSecretSettings,
): Promise<void> {
  const existing = await run.at('read roles', () =>
    readRoles(admin, run.names),
  );
  for (const access of ROLE_ORDER) {
    await ensureRole(admin, run, access, existing, settings);
  }
}

/** Drops the database's roles that exist, ending their sessions first. */
export async function dropTenantRoles(
  admin: Client,
  run: ProvisioningRun,
): Promise<void> {
  const existing = await run.at('read roles', () =>
    readRoles(admin, run.names),
  );
  for (const access of ROLE_ORDER) {
    const role = run.names.roles[access];
    if (!existing.has(role)) {
      continue;
    }
    await run.at(`drop role ${role}`, async () => {
      await terminateSessionsOfRole(admin, role);
      await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      run.changed(`dropped role ${role}`);
    });
  }
}

/** Deletes the roles' secrets that exist. */
export async function deleteRoleSecrets(
  run: ProvisioningRun,
  secretStore: DatabaseSecretStore,
): Promise<void> {
  for (const access of ROLE_ORDER) {
    const path = run.names.secretManagerPaths[access];
    await run.at(`delete secret ${path}`, async () => {
      const { exists } = await secretStore.describe(path, access);
      if (exists) {
        await secretStore.delete(path);
        run.changed(`deleted secret ${path}`);
      }
    });
  }
}

async function readRoles(
  admin: Client,
  names: DerivedDatabaseNames,
): Promise<Map<string, ExistingRole>> {
  const roleNames = ROLE_ORDER.map(access => names.roles[access]);
  const attributes = `rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) AS attributes_ok`;
  let rows: Array<{
    rolname: string;
    verifier?: string | null;
    attributes_ok: boolean;
  }>;
  try {
    // pg_authid (superuser only) lets us check each role's password
    // against its secret without logging in.
    ({ rows } = await admin.query(
      `SELECT rolname, rolpassword AS verifier, ${attributes} FROM pg_catalog.pg_authid WHERE rolname = ANY($1)`,
      [roleNames],
    ));
  } catch (error) {
    if (sqlState(error) !== INSUFFICIENT_PRIVILEGE) {
      throw error;
    }
    ({ rows } = await admin.query(
      `SELECT rolname, ${attributes} FROM pg_catalog.pg_roles WHERE rolname = ANY($1)`,
      [roleNames],
    ));
  }
  return new Map(
    rows.map(row => [
      row.rolname,
      { verifier: row.verifier, attributesOk: row.attributes_ok },
    ]),
  );
}

/**
 * One role and its secret. The password is generated once and stored
 * before the role gets it, so a crash in between is healed by the next
 * run re-using the stored password. An existing role keeps its password
 * unless its secret is missing or no longer matches it.
 */
async function ensureRole(
  admin: Client,
  run: ProvisioningRun,
  access: RoleAccess,
  existingRoles: Map<string, ExistingRole>,
  settings: RoleSecretSettings,
): Promise<void> {
  const role = run.names.roles[access];
  const path = run.names.secretManagerPaths[access];
  const store = settings.secretStore;
  const { host: endpoint, port } = settings.publicEndpoint;

  const secret = await run.at(`read secret ${path}`, () => store.get(path));
  if (secret) {
    run.passwords.push(secret.password);
  }
  const password = secret?.password ?? generatePassword();
  run.passwords.push(password);
  const wanted: RoleSecret = { username: role, password, endpoint, port };

  const secretIsCurrent =
    secret !== undefined &&
    secret.username === wanted.username &&
    secret.endpoint === wanted.endpoint &&
    Number(secret.port) === wanted.port;
  if (!secretIsCurrent) {
    await run.at(`store secret ${path}`, () => store.put(path, wanted));
    run.changed(secret ? `updated secret ${path}` : `stored secret ${path}`);
  }

  const setPassword = `PASSWORD ${quoteLiteral(scramSha256Verifier(password))}`;
  const existing = existingRoles.get(role);
  if (!existing) {
    await run.at(`create role ${role}`, async () => {
      try {
        await admin.query(
          `CREATE ROLE ${quoteIdent(
            role,
          )} WITH ${ROLE_ATTRIBUTES} ${setPassword}`,
        );
      } catch (error) {
        if (sqlState(error) !== DUPLICATE_OBJECT) {
          throw error;
        }
        // Created meanwhile by someone not holding our lock: make it ours.
        await admin.query(
          `ALTER ROLE ${quoteIdent(
            role,
          )} WITH ${ROLE_ATTRIBUTES} ${setPassword}`,
        );
      }
    });
    run.changed(`created role ${role}`);
    return;
  }

  // A role whose secret was missing gets the new password. Otherwise the
  // stored verifier is checked against the secret; without superuser
  // (verifier undefined) it cannot be read and is trusted.
  const passwordMatches =
    secret !== undefined &&
    (existing.verifier === undefined ||
      scramVerifierMatches(existing.verifier, secret.password));
  if (passwordMatches && existing.attributesOk) {
    return;
  }
  await run.at(`update role ${role}`, () =>
    admin.query(
      `ALTER ROLE ${quoteIdent(role)} WITH ${ROLE_ATTRIBUTES}${
        passwordMatches ? '' : ` ${setPassword}`
      }`,
    ),
  );
  if (!passwordMatches) {
    run.changed(
      secret
        ? `set the password of role ${role} to the one in its secret`
        : `set a new password for role ${role} (its secret was missing)`,
    );
  }
  if (!existing.attributesOk) {
    run.changed(`reset the attributes of role ${role} to ${ROLE_ATTRIBUTES}`);
  }
}
