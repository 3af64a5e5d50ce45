import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The engines' part of `dbaas.restore`. */
export interface RestoreEngineSettings {
  /** `dbaas.restore.parallelJobs`: `pg_restore --jobs`. */
  parallelJobs: number;
  /**
   * `dbaas.restore.binDirectory`, else `dbaas.snapshots.local.binDirectory`;
   * unset means the oldest pg_restore at least as new as the server (see
   * PgToolLocator).
   */
  binDirectory?: string;
  /** `dbaas.restore.workDirectory`: Aurora dump files, CA files. */
  workDirectory: string;
}

export function readRestoreEngineSettings(
  config: Config,
): RestoreEngineSettings {
  const jobs = config.getOptionalNumber('dbaas.restore.parallelJobs');
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    throw new InputError(
      `dbaas.restore.parallelJobs must be a whole number of at least 1, not ${jobs}`,
    );
  }
  return {
    parallelJobs: jobs ?? Math.max(1, Math.min(4, availableParallelism())),
    binDirectory:
      config.getOptionalString('dbaas.restore.binDirectory') ??
      config.getOptionalString('dbaas.snapshots.local.binDirectory'),
    workDirectory:
      config.getOptionalString('dbaas.restore.workDirectory') ??
      join(tmpdir(), 'dbaas-restores'),
  };
}
