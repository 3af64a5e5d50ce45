import { Client } from 'pg';
import {
  credentialTwinName,
  DerivedDatabaseNames,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
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

export interface ExistingRole {
  /** `pg_authid.rolpassword`; undefined when we may not read it. */
  verifier?: string | null;
  attributesOk: boolean;
  /** `pg_roles.rolconfig`, e.g. `role=<db>-write` on a twin. */
  config: string[];
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
    // The twin (credential rotation's second user) goes with its role.
    const twin = credentialTwinName(run.names.databaseName, access);
    for (const role of [twin, run.names.roles[access]]) {
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

/** The roles of a database and their twins that exist, by name. */
export async function readRoles(
  admin: Client,
  names: DerivedDatabaseNames,
): Promise<Map<string, ExistingRole>> {
  const roleNames = ROLE_ORDER.flatMap(access => [
    names.roles[access],
    credentialTwinName(names.databaseName, access),
  ]);
  const attributes = `rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) AS attributes_ok, coalesce((SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s WHERE s.setrole = oid AND s.setdatabase = 0), '{}') AS config`;
  let rows: Array<{
    rolname: string;
    verifier?: string | null;
    attributes_ok: boolean;
    config: string[];
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
      {
        verifier: row.verifier,
        attributesOk: row.attributes_ok,
        config: row.config,
      },
    ]),
  );
}

/**
 * One role and its secret. The password is generated once and stored
 * before the role gets it, so a crash in between is healed by the next
 * run re-using the stored password. An existing role keeps its password
 * unless its secret is missing or no longer matches it.
 *
 * After a credential rotation the secret may name the role's twin
 * (`credentialTwinName`) instead of the role: then the twin's password is
 * the one checked, the role's own (the previous credential, still in use
 * until the next rotation) is left alone, and the twin is kept a member of
 * the role with nothing more.
 */
async function ensureRole(
  admin: Client,
  run: ProvisioningRun,
  access: RoleAccess,
  existingRoles: Map<string, ExistingRole>,
  settings: RoleSecretSettings,
): Promise<void> {
  const role = run.names.roles[access];
  const twin = credentialTwinName(run.names.databaseName, access);
  const path = run.names.secretManagerPaths[access];
  const store = settings.secretStore;
  const { host: endpoint, port } = settings.publicEndpoint;

  const secret = await run.at(`read secret ${path}`, () => store.get(path));
  if (secret) {
    run.passwords.push(secret.password);
  }
  const password = secret?.password ?? generatePassword();
  run.passwords.push(password);
  const user = secret?.username === twin ? twin : role;
  const wanted: RoleSecret = { username: user, password, endpoint, port };

  const secretIsCurrent =
    secret !== undefined &&
    secret.username === wanted.username &&
    secret.endpoint === wanted.endpoint &&
    Number(secret.port) === wanted.port;
  if (!secretIsCurrent) {
    await run.at(`store secret ${path}`, () => store.put(path, wanted));
    run.changed(secret ? `updated secret ${path}` : `stored secret ${path}`);
  }

  // The role the secret does not name keeps (or, when it is missing, gets
  // an unknown) password: the previous credential of a rotation.
  const rolePassword = user === role ? password : generatePassword();
  run.passwords.push(rolePassword);
  let roleRule: LoginRoleOptions['passwordRule'] = 'keep';
  if (user === role) {
    roleRule = secret ? 'match' : 'missing-secret';
  }
  await ensureLoginRole(admin, run, role, existingRoles.get(role), {
    password: rolePassword,
    passwordRule: roleRule,
  });
  if (user === twin || existingRoles.has(twin)) {
    await ensureTwinRole(admin, run, access, existingRoles.get(twin), {
      password,
      passwordRule: user === twin ? 'match' : 'keep',
    });
  }
}

/**
 * The twin of a role: a login user that is a member of the role (so it
 * has exactly its privileges) and sets it as its session role at login
 * (so what it creates is owned by the role). Created with `password` when
 * missing; an existing twin's password is only replaced when
 * `checkPassword` says it is the one in the secret and it differs.
 */
export async function ensureTwinRole(
  admin: Client,
  run: ProvisioningRun,
  access: RoleAccess,
  existing: ExistingRole | undefined,
  options: LoginRoleOptions,
): Promise<void> {
  const role = run.names.roles[access];
  const twin = credentialTwinName(run.names.databaseName, access);
  await ensureLoginRole(admin, run, twin, existing, options);
  const member = await run.at(`read membership of ${twin}`, async () => {
    const { rows } = await admin.query<{ ok: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_catalog.pg_auth_members m
         WHERE m.roleid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)
           AND m.member = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $2)
       ) AS ok`,
      [role, twin],
    );
    return rows[0]?.ok === true;
  });
  if (!member) {
    await run.at(`grant ${role} to ${twin}`, () =>
      admin.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(twin)}`),
    );
    run.changed(`granted ${role} to ${twin}`);
  }
  const setting = `role=${role}`;
  if (!(existing?.config ?? []).includes(setting)) {
    await run.at(`set the session role of ${twin}`, () =>
      admin.query(
        `ALTER ROLE ${quoteIdent(twin)} SET role = ${quoteLiteral(role)}`,
      ),
    );
    run.changed(`made ${twin} act as ${role} at login`);
  }
}

/**
 * What happens to an existing login role's password: `keep` it, make it
 * `match` the secret's (when the verifier differs; without superuser it
 * cannot be read and is trusted), set it because the secret was missing
 * (`missing-secret`), or set a new one (`rotate`).
 */
export interface LoginRoleOptions {
  password: string;
  passwordRule: 'keep' | 'match' | 'missing-secret' | 'rotate';
}

/**
 * A login role with {@link ROLE_ATTRIBUTES}, created with `password` when
 * missing; see {@link LoginRoleOptions} for an existing one.
 */
async function ensureLoginRole(
  admin: Client,
  run: ProvisioningRun,
  role: string,
  existing: ExistingRole | undefined,
  options: LoginRoleOptions,
): Promise<void> {
  const setPassword = `PASSWORD ${quoteLiteral(
    scramSha256Verifier(options.password),
  )}`;
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

  const rule = options.passwordRule;
  const passwordMatches =
    rule === 'keep' ||
    (rule === 'match' &&
      (existing.verifier === undefined ||
        scramVerifierMatches(existing.verifier, options.password)));
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
  if (rule === 'rotate') {
    run.changed(`set a new password for role ${role}`);
  } else if (rule === 'missing-secret') {
    run.changed(`set a new password for role ${role} (its secret was missing)`);
  } else if (!passwordMatches) {
    run.changed(`set the password of role ${role} to the one in its secret`);
  }
  if (!existing.attributesOk) {
    run.changed(`reset the attributes of role ${role} to ${ROLE_ATTRIBUTES}`);
  }
}
