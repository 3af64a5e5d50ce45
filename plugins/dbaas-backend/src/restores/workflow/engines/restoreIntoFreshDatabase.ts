import { DatabaseProvisioner, quoteIdent } from '@dbaas/plugin-dbaas-node';
import { PgTool, runPgTool } from '../../../pgTools';
import { RestoreStepContext } from '../RestoreEngine';
import { AdminSession } from './AdminSession';
import { DumpInput, dumpArgs, feedStdin } from './dumpInput';
import { targetDefinition, targetRoles } from './restoreNames';

/**
 * pg_restore into a fresh database `into`. Whatever an interrupted attempt
 * left in it is dropped first, so a re-run starts from the same empty
 * place. The caller has checked that `into` is this restore's own.
 */
export async function restoreIntoFreshDatabase(options: {
  context: RestoreStepContext;
  into: string;
  dump: DumpInput;
  /** `--jobs` for a dump file; a streamed dump is restored by one job. */
  parallelJobs: number;
  /** The cluster's provisioner; asked for only by `new-database` restores. */
  provisioner: () => DatabaseProvisioner;
  /** The pg_restore preflight chose. */
  pgRestore: () => Promise<PgTool>;
}): Promise<void> {
  const { context, into, dump } = options;
  const { job } = context;
  const roles = targetRoles(job);
  const connection = job.cluster.connection;

  await AdminSession.with(connection, async session => {
    if (await session.dropDatabase(into)) {
      await context.log(
        'warning',
        `dropped '${into}' left by an interrupted attempt`,
      );
    }
    if (job.target === 'in-place') {
      await session.createDatabase(into, roles.admin);
      // Only the database's roles may connect, from the first moment it
      // could be swapped in (the provisioner re-checks in grants).
      const db = quoteIdent(into);
      await session.client.query(
        `REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC`,
      );
      await session.client.query(
        `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${[
          roles.admin,
          roles.write,
          roles.read,
        ]
          .map(quoteIdent)
          .join(', ')}`,
      );
    }
  });
  if (job.target === 'new-database') {
    // Roles, secrets, the database owned by -admin, and default
    // privileges, so the restored tables are readable by -read and
    // writable by -write as soon as they exist.
    const provisioner = options.provisioner();
    await provisioner.ensure(targetDefinition(job));
    await context.log(
      'info',
      `created '${into}' with roles ${roles.read}, ${roles.write}, ${roles.admin}`,
    );
  }
  await AdminSession.with(connection, async session => {
    if (!(await session.canSetRole(roles.admin))) {
      // pg_restore --role needs it; a CREATEROLE admin (Aurora's master
      // user) may grant it to itself.
      await session.client.query(
        `GRANT ${quoteIdent(roles.admin)} TO CURRENT_USER`,
      );
      await context.log(
        'info',
        `granted ${roles.admin} to the cluster's admin user for pg_restore --role`,
      );
    }
  });

  // pg_restore refuses parallel jobs on stdin: they seek in the archive.
  const jobs = 'file' in dump ? options.parallelJobs : 1;
  const args = [
    '--format=custom',
    // Without --dbname pg_restore would print SQL instead of connecting.
    `--dbname=${into}`,
    // Never prompt: the password comes from the private .pgpass only.
    '--no-password',
    // Objects are created by the target's admin role, so it owns them,
    // as when the application created them.
    '--no-owner',
    `--role=${roles.admin}`,
    // The original's GRANTs name its own roles: useless (and failing)
    // in a new database, whose grants the provisioner sets.
    ...(job.target === 'new-database' ? ['--no-privileges'] : []),
    // A restored copy must never start replicating or publishing.
    '--no-subscriptions',
    '--no-publications',
    '--no-tablespaces',
    '--no-security-labels',
    '--exit-on-error',
    `--jobs=${jobs}`,
    ...dumpArgs(dump),
  ];
  if (!('file' in dump)) {
    await context.log(
      'info',
      `streaming ${dump.location} into pg_restore (one job: parallel restore needs a seekable file); its sha256 is checked as it is read`,
    );
  }
  const started = Date.now();
  await runPgTool({
    tool: await options.pgRestore(),
    args,
    what: `pg_restore into '${into}'`,
    target: {
      connection,
      database: into,
      applicationName: 'backstage-dbaas-restore',
    },
    // The whole object is read even if pg_restore stops before its last
    // bytes: a checksum mismatch fails this step, before verify and swap.
    ...('file' in dump
      ? {}
      : {
          writeStdin: async stdin =>
            feedStdin(await dump.open(context.signal), stdin, {
              readToEnd: true,
            }),
        }),
    signal: context.signal,
  });
  await context.log(
    'info',
    `pg_restore into '${into}' finished (exit code 0, ${jobs} parallel job(s), ${Math.round(
      (Date.now() - started) / 1000,
    )} s)`,
  );
}
