import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { MAX_IDENTIFIER_BYTES } from '@dbaas/plugin-dbaas-common';
import { redactError } from '../secrets/redact';
import { ClusterConnection } from './connectionConfig';
import { withClusterClient } from './openClusterClient';
import { terminateSessionsOfRole } from './ProvisionerSessions';
import { scramSha256Verifier } from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import { sqlState } from './sqlState';

/**
 * Attributes of a personal login role: it can log in until its end and do
 * nothing cluster-wide; what it may do in the database comes from its
 * membership in the database's `-read`, `-write` or `-admin` role.
 */
const PERSONAL_ROLE_ATTRIBUTES =
  'LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

/** 2BP01: the role still owns objects or holds privileges somewhere. */
const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';

const GRANT_SUFFIX_LENGTH = 8;

/**
 * The login role of one personal access grant: the user's name and the
 * first 8 hex digits of the grant id, joined by `_` (e.g. `alice_1a2b3c4d`).
 * The user is the name part of the entity ref, lower-cased, with anything
 * but `a-z`, `0-9` and `_` replaced by `_` (so it never looks like a tenant
 * role, whose names have hyphens), and cut so that the whole stays within
 * 63 bytes. Unique per grant, the same for every call.
 *
 * @public
 */
export function personalRoleName(
  userEntityRef: string,
  grantId: string,
): string {
  const userName = userEntityRef.slice(userEntityRef.lastIndexOf('/') + 1);
  let base = userName
    .replace(/^[a-z]+:/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (!/^[a-z]/.test(base)) {
    base = `u${base ? `_${base}` : ''}`;
  }
  // Hex of the id itself when it is a UUID, else a hash of it.
  const hex = grantId.replace(/-/g, '').toLowerCase();
  const suffix = /^[0-9a-f]{8,}$/.test(hex)
    ? hex.slice(0, GRANT_SUFFIX_LENGTH)
    : createHash('sha256')
        .update(grantId)
        .digest('hex')
        .slice(0, GRANT_SUFFIX_LENGTH);
  const room = MAX_IDENTIFIER_BYTES - GRANT_SUFFIX_LENGTH - 1;
  return `${base.slice(0, room).replace(/_$/, '')}_${suffix}`;
}

/**
 * What a personal login role is made of.
 *
 * @public
 */
export interface PersonalRoleSpec {
  /** See {@link personalRoleName}. */
  role: string;
  /** Never stored: only its SCRAM verifier reaches the server. */
  password: string;
  /** `VALID UNTIL`: no login after it, even before the role is dropped. */
  validUntil: Date;
  /** The database's `<db>-read`, `-write` or `-admin` role. */
  memberOf: string;
}

/**
 * Creates a personal login role in one transaction: `LOGIN ... VALID UNTIL`
 * with no cluster-wide attribute, a member of `memberOf`, and
 * `SET role = <memberOf>` at login so that what a write or admin person
 * creates is owned by the database's role, not by the person's. The
 * password travels as a SCRAM verifier only, so the server's logs never
 * hold it. Errors never contain the password.
 *
 * @public
 */
export async function createPersonalRole(
  connection: ClusterConnection,
  spec: PersonalRoleSpec,
): Promise<void> {
  const role = quoteIdent(spec.role);
  const group = quoteIdent(spec.memberOf);
  try {
    await withClusterClient(
      connection,
      { applicationName: 'backstage-dbaas-access' },
      async admin => {
        await admin.query('BEGIN');
        try {
          await admin.query(
            `CREATE ROLE ${role} WITH ${PERSONAL_ROLE_ATTRIBUTES} PASSWORD ${quoteLiteral(
              scramSha256Verifier(spec.password),
            )} VALID UNTIL ${quoteLiteral(spec.validUntil.toISOString())}`,
          );
          await admin.query(`GRANT ${group} TO ${role}`);
          await admin.query(`ALTER ROLE ${role} SET role = ${group}`);
          await admin.query('COMMIT');
        } catch (error) {
          await admin.query('ROLLBACK').catch(() => {});
          throw error;
        }
      },
    );
  } catch (error) {
    throw redactError(error, [spec.password, connection.password]);
  }
}

/**
 * Ends a personal login role: its sessions are terminated, and the role is
 * dropped. Should it own objects or hold privileges of its own (it cannot
 * normally: its sessions run as `reassignTo`), they are reassigned to
 * `reassignTo` and its privileges dropped in each database concerned
 * first. A role that does not exist (already dropped) is fine.
 *
 * @public
 */
export async function dropPersonalRole(
  connection: ClusterConnection,
  options: { role: string; reassignTo: string },
): Promise<{ dropped: boolean }> {
  try {
    return await withClusterClient(
      connection,
      { applicationName: 'backstage-dbaas-access' },
      async admin => {
        const exists = await admin.query(
          'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1',
          [options.role],
        );
        if (!exists.rowCount) {
          return { dropped: false };
        }
        // No new login while we end the sessions (VALID UNTIL may be ahead).
        await admin.query(`ALTER ROLE ${quoteIdent(options.role)} NOLOGIN`);
        await terminateSessionsOfRole(admin, options.role);
        try {
          await admin.query(`DROP ROLE ${quoteIdent(options.role)}`);
        } catch (error) {
          if (sqlState(error) !== DEPENDENT_OBJECTS_STILL_EXIST) {
            throw error;
          }
          await releaseOwnedObjects(admin, connection, options);
          await admin.query(`DROP ROLE ${quoteIdent(options.role)}`);
        }
        return { dropped: true };
      },
    );
  } catch (error) {
    throw redactError(error, [connection.password]);
  }
}

/**
 * Whether a role of that name exists on the cluster.
 *
 * @public
 */
export async function personalRoleExists(
  connection: ClusterConnection,
  role: string,
): Promise<boolean> {
  return withClusterClient(connection, {}, async admin => {
    const { rowCount } = await admin.query(
      'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1',
      [role],
    );
    return Boolean(rowCount);
  });
}

/** REASSIGN OWNED and DROP OWNED in every database the role has objects in. */
async function releaseOwnedObjects(
  admin: Client,
  connection: ClusterConnection,
  options: { role: string; reassignTo: string },
): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT DISTINCT d.datname FROM pg_catalog.pg_shdepend s
       JOIN pg_catalog.pg_database d ON d.oid = s.dbid
      WHERE s.refclassid = 'pg_catalog.pg_authid'::regclass
        AND s.refobjid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)`,
    [options.role],
  );
  const databases = new Set(rows.map(r => r.datname));
  // Privileges on shared objects (databases) are recorded without a dbid.
  databases.add(connection.database ?? 'postgres');
  for (const database of databases) {
    await withClusterClient(
      connection,
      { database, applicationName: 'backstage-dbaas-access' },
      async client => {
        const role = quoteIdent(options.role);
        const target = await client.query(
          'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1',
          [options.reassignTo],
        );
        if (target.rowCount) {
          await client.query(
            `REASSIGN OWNED BY ${role} TO ${quoteIdent(options.reassignTo)}`,
          );
        }
        await client.query(`DROP OWNED BY ${role}`);
      },
    );
  }
}
