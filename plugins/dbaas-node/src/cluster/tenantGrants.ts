import { Client } from 'pg';
import { grantPlan } from './grantPlan';
import { ProvisionerSessions } from './ProvisionerSessions';
import { ProvisioningRun } from './ProvisioningRun';
import { quoteIdent } from './sql';

/** What `-write` may do on tables (the chart's write role). */
const WRITE_TABLE_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
] as const;

/**
 * Only the database's own roles may connect: PUBLIC loses CONNECT and
 * TEMPORARY (so other tenants' roles are refused), the three roles get
 * CONNECT and TEMPORARY (temporary tables are common in applications).
 */
export async function ensureDatabaseAccess(
  admin: Client,
  run: ProvisioningRun,
): Promise<void> {
  const { databaseName, roles } = run.names;
  await run.at('set database privileges', async () => {
    const { rows } = await admin.query<{
      grantee: string;
      privilege: string;
    }>(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
              a.privilege_type AS privilege
       FROM pg_catalog.pg_database d,
            aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
       WHERE d.datname = $1`,
      [databaseName],
    );
    const plan = grantPlan(
      rows,
      {
        PUBLIC: [],
        [roles.read]: ['CONNECT', 'TEMPORARY'],
        [roles.write]: ['CONNECT', 'TEMPORARY'],
        [roles.admin]: ['CONNECT', 'TEMPORARY'],
      },
      { revokeExtra: ['PUBLIC'] },
    );
    const db = quoteIdent(databaseName);
    for (const { grantee, privileges } of plan.revoke) {
      await admin.query(
        `REVOKE ${privileges.join(', ')} ON DATABASE ${db} FROM ${
          grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grantee)
        }`,
      );
      run.changed(
        `revoked ${privileges.join(
          ', ',
        )} on database ${databaseName} from ${grantee}`,
      );
    }
    for (const { grantee, privileges } of plan.grant) {
      await admin.query(
        `GRANT ${privileges.join(', ')} ON DATABASE ${db} TO ${quoteIdent(
          grantee,
        )}`,
      );
      run.changed(
        `granted ${privileges.join(
          ', ',
        )} on database ${databaseName} to ${grantee}`,
      );
    }
  });
}

/**
 * Inside the tenant database (a second, short session, in one
 * transaction): schema public owned by the admin role and closed to
 * PUBLIC, USAGE for read and write, grants on existing tables and
 * sequences, and default privileges for what the admin creates later.
 */
export async function ensureTenantGrants(
  run: ProvisioningRun,
  sessions: ProvisionerSessions,
): Promise<void> {
  const { databaseName } = run.names;
  const tenant = await run.at(`connect to database ${databaseName}`, () =>
    sessions.open(databaseName),
  );
  // Changes count only once the transaction has committed.
  const pending: string[] = [];
  const record = (change: string) => pending.push(change);
  try {
    await tenant.query('BEGIN');
    await run.at('set up schema public', () =>
      ensurePublicSchema(tenant, run, record),
    );
    await run.at('grant privileges on existing tables and sequences', () =>
      ensureObjectGrants(tenant, run, record),
    );
    await run.at('set default privileges', () =>
      ensureDefaultPrivileges(tenant, run, record),
    );
    await run.at('commit the grants', () => tenant.query('COMMIT'));
  } catch (error) {
    await tenant.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await tenant.end().catch(() => {});
  }
  pending.forEach(change => run.changed(change));
}

async function ensurePublicSchema(
  tenant: Client,
  run: ProvisioningRun,
  record: (change: string) => void,
): Promise<void> {
  const { roles } = run.names;
  const admin = quoteIdent(roles.admin);
  const { rows: schemas } = await tenant.query<{ owner: string }>(
    `SELECT pg_catalog.pg_get_userbyid(nspowner) AS owner FROM pg_catalog.pg_namespace WHERE nspname = 'public'`,
  );
  if (schemas.length === 0) {
    await tenant.query(`CREATE SCHEMA public AUTHORIZATION ${admin}`);
    record(`created schema public owned by ${roles.admin}`);
  } else if (schemas[0].owner !== roles.admin) {
    await tenant.query(`ALTER SCHEMA public OWNER TO ${admin}`);
    record(`made ${roles.admin} the owner of schema public`);
  }

  const { rows } = await tenant.query<{ grantee: string; privilege: string }>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
            a.privilege_type AS privilege
     FROM pg_catalog.pg_namespace n,
          aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
     WHERE n.nspname = 'public'`,
  );
  // read and write may use the schema but never create in it; the
  // admin (owner) keeps USAGE and CREATE.
  const plan = grantPlan(
    rows,
    {
      PUBLIC: [],
      [roles.read]: ['USAGE'],
      [roles.write]: ['USAGE'],
      [roles.admin]: ['USAGE', 'CREATE'],
    },
    { revokeExtra: ['PUBLIC', roles.read, roles.write] },
  );
  for (const { grantee, privileges } of plan.revoke) {
    await tenant.query(
      `REVOKE ${privileges.join(', ')} ON SCHEMA public FROM ${
        grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grantee)
      }`,
    );
    record(`revoked ${privileges.join(', ')} on schema public from ${grantee}`);
  }
  for (const { grantee, privileges } of plan.grant) {
    await tenant.query(
      `GRANT ${privileges.join(', ')} ON SCHEMA public TO ${quoteIdent(
        grantee,
      )}`,
    );
    record(`granted ${privileges.join(', ')} on schema public to ${grantee}`);
  }
}

/**
 * Existing tables (incl. views, materialized views, foreign and
 * partitioned tables, as `ALL TABLES` does) and sequences. Counted first
 * so an up-to-date database gets no GRANT at all.
 */
async function ensureObjectGrants(
  tenant: Client,
  run: ProvisioningRun,
  record: (change: string) => void,
): Promise<void> {
  const { roles } = run.names;
  // has_table_privilege with a list is true if ANY privilege is held,
  // so each privilege is checked on its own.
  const { rows } = await tenant.query<{
    read_tables: number;
    write_tables: number;
    write_sequences: number;
  }>(
    `SELECT
       count(*) FILTER (WHERE c.relkind IN ('r','p','v','m','f')
         AND NOT has_table_privilege($1, c.oid, 'SELECT'))::int AS read_tables,
       count(*) FILTER (WHERE c.relkind IN ('r','p','v','m','f') AND NOT (
         has_table_privilege($2, c.oid, 'SELECT') AND has_table_privilege($2, c.oid, 'INSERT')
         AND has_table_privilege($2, c.oid, 'UPDATE') AND has_table_privilege($2, c.oid, 'DELETE')
         AND has_table_privilege($2, c.oid, 'TRUNCATE')))::int AS write_tables,
       count(*) FILTER (WHERE c.relkind = 'S' AND NOT (
         has_sequence_privilege($2, c.oid, 'USAGE') AND has_sequence_privilege($2, c.oid, 'SELECT')))::int AS write_sequences
     FROM pg_catalog.pg_class c
     WHERE c.relnamespace = 'public'::regnamespace`,
    [roles.read, roles.write],
  );
  const [counts] = rows;
  if (counts.read_tables > 0) {
    await tenant.query(
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${quoteIdent(
        roles.read,
      )}`,
    );
    record(`granted SELECT on ${counts.read_tables} tables to ${roles.read}`);
  }
  if (counts.write_tables > 0) {
    await tenant.query(
      `GRANT ${WRITE_TABLE_PRIVILEGES.join(
        ', ',
      )} ON ALL TABLES IN SCHEMA public TO ${quoteIdent(roles.write)}`,
    );
    record(
      `granted ${WRITE_TABLE_PRIVILEGES.join(', ')} on ${
        counts.write_tables
      } tables to ${roles.write}`,
    );
  }
  if (counts.write_sequences > 0) {
    await tenant.query(
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${quoteIdent(
        roles.write,
      )}`,
    );
    record(
      `granted USAGE, SELECT on ${counts.write_sequences} sequences to ${roles.write}`,
    );
  }
}

/**
 * `ALTER DEFAULT PRIVILEGES FOR ROLE <admin> IN SCHEMA public`: tables
 * and sequences the admin role creates later get the read and write
 * grants automatically (the guide's "all tables created by the admin
 * user in the public schema").
 */
async function ensureDefaultPrivileges(
  tenant: Client,
  run: ProvisioningRun,
  record: (change: string) => void,
): Promise<void> {
  const { roles } = run.names;
  const { rows } = await tenant.query<{
    objtype: string;
    grantee: string;
    privilege: string;
  }>(
    `SELECT d.defaclobjtype::text AS objtype,
            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
            a.privilege_type AS privilege
     FROM pg_catalog.pg_default_acl d, aclexplode(d.defaclacl) a
     WHERE d.defaclrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)
       AND d.defaclnamespace = 'public'::regnamespace`,
    [roles.admin],
  );
  const wanted: Array<{
    objtype: 'r' | 'S';
    on: string;
    grants: Record<string, string[]>;
  }> = [
    {
      objtype: 'r',
      on: 'TABLES',
      grants: {
        [roles.read]: ['SELECT'],
        [roles.write]: [...WRITE_TABLE_PRIVILEGES],
      },
    },
    {
      objtype: 'S',
      on: 'SEQUENCES',
      grants: { [roles.write]: ['USAGE', 'SELECT'] },
    },
  ];
  for (const { objtype, on, grants } of wanted) {
    const plan = grantPlan(
      rows.filter(r => r.objtype === objtype),
      grants,
      { revokeExtra: [] },
    );
    for (const { grantee, privileges } of plan.grant) {
      await tenant.query(
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(
          roles.admin,
        )} IN SCHEMA public GRANT ${privileges.join(
          ', ',
        )} ON ${on} TO ${quoteIdent(grantee)}`,
      );
      record(
        `set default privileges: ${privileges.join(
          ', ',
        )} on new ${on.toLowerCase()} of ${roles.admin} to ${grantee}`,
      );
    }
  }
}
