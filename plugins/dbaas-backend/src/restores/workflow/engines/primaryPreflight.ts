import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { DatabaseProvisioner } from '@dbaas/plugin-dbaas-node';
import { PgToolLocator } from '../../../pgTools';
import { RestoreStepContext } from '../RestoreEngine';
import { AdminSession } from './AdminSession';
import { EngineState } from './engineState';
import { restoreNames, targetRoles } from './restoreNames';

/**
 * Where free space is needed: on the database server (the restored copy
 * lives next to the original) or in the work directory (Aurora dumps).
 */
export type SpaceCheck =
  | { kind: 'server'; cluster: string; dataDirectory?: string }
  | { kind: 'work-directory'; path: string };

/** Free bytes at a place, or undefined when it cannot be told from here. */
export type FreeSpaceReader = (
  check: SpaceCheck,
) => Promise<number | undefined>;

/** Free space is required for the expected size times this. */
const SPACE_MARGIN = 1.2;

export const defaultFreeSpace: FreeSpaceReader = async check => {
  const path = check.kind === 'server' ? check.dataDirectory : check.path;
  if (!path) {
    return undefined;
  }
  try {
    const fs = await statfs(path);
    return fs.bavail * fs.bsize;
  } catch {
    // A remote server's data directory is not on this machine.
    return undefined;
  }
};

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * Checks on the primary, before anything is created: the pg_restore
 * version, the target, the roles, and free space. Returns the names and
 * facts the later steps rely on.
 */
export async function preflightPrimary(options: {
  context: RestoreStepContext;
  expectedSizeBytes: (primarySize: number | undefined) => number;
  tools: PgToolLocator;
  freeSpace: FreeSpaceReader;
  /** Undefined when the cluster has none (then `new-database` is refused). */
  provisioner: DatabaseProvisioner | undefined;
}): Promise<EngineState> {
  const { context, expectedSizeBytes, provisioner } = options;
  const { job } = context;
  const names = restoreNames(job);
  return AdminSession.with(job.cluster.connection, async session => {
    const server = await session.serverVersion();
    const tool = await options.tools.find('pg_restore', {
      versionNum: server.num,
      description: `cluster '${job.cluster.name}' (PostgreSQL ${server.version})`,
    });
    const binDirectory = dirname(tool.path);
    await context.log(
      'info',
      `pg_restore ${tool.version} (${binDirectory}) for PostgreSQL ${server.version} on cluster '${job.cluster.name}'`,
    );

    const existing = await session.databases([job.databaseName, names.target]);
    if (job.target === 'new-database') {
      if (existing.has(names.target)) {
        throw new ConflictError(
          `Database '${names.target}' already exists on cluster '${job.cluster.name}'; choose another target name`,
        );
      }
      if (!provisioner) {
        throw new InputError(
          `Cluster '${job.cluster.name}' has no provisioner to create the roles of '${names.target}'; restore in place, or define the database in the apps repository first`,
        );
      }
      // A failed restore drops its target's roles and secrets: only roles
      // it creates itself may be its target's.
      const roles = targetRoles(job);
      for (const role of [roles.admin, roles.write, roles.read]) {
        if (await session.roleExists(role)) {
          throw new ConflictError(
            `Role '${role}' already exists on cluster '${job.cluster.name}' without the database '${names.target}'; choose another target name`,
          );
        }
      }
    } else {
      if (!existing.has(job.databaseName)) {
        throw new InputError(
          `Database '${job.databaseName}' does not exist on cluster '${job.cluster.name}'; restore into a new database instead`,
        );
      }
      const admin = targetRoles(job).admin;
      if (!(await session.roleExists(admin))) {
        throw new InputError(
          `Role '${admin}' does not exist on cluster '${job.cluster.name}'; the restored objects could not be given their owner`,
        );
      }
    }

    const needed = Math.ceil(
      expectedSizeBytes(existing.get(job.databaseName)?.sizeBytes) *
        SPACE_MARGIN,
    );
    const dataDirectory = await session.client
      .query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)
      .then(r => r.rows[0].d)
      .catch(() => undefined);
    const free = await options.freeSpace({
      kind: 'server',
      cluster: job.cluster.name,
      dataDirectory,
    });
    if (free === undefined) {
      await context.log(
        'info',
        `free space on cluster '${
          job.cluster.name
        }' cannot be checked from here (${gib(needed)} needed)`,
      );
    } else if (free < needed) {
      throw new InputError(
        `Not enough free space on cluster '${job.cluster.name}': ${gib(
          free,
        )} free, ${gib(needed)} needed for the restored copy`,
      );
    }
    return {
      names,
      binDirectory,
      targetReserved: job.target === 'new-database',
    };
  });
}
