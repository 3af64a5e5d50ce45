import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import { MergedDatabaseDefinition } from '@dbaas/plugin-dbaas-node';
import { RestoreJob } from '../RestoreEngine';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Every name a restore creates, derived from the job alone, so that a
 * cleanup after a crash (even one before any state was persisted) knows
 * what to look for and never needs to guess.
 */
export interface RestoreNames {
  /** The database that receives the data (`job.targetDatabaseName`). */
  target: string;
  /** In-place restores: where the snapshot is restored before the swap. */
  scratch: string;
  /** In-place restores: the previous data after the swap. */
  safetyCopy: string;
  /** Aurora: the temporary cluster restored from the snapshot. */
  tempCluster: string;
  /** Aurora: the temporary cluster's only instance. */
  tempInstance: string;
  /** A folder only this job uses, for dump files. */
  workFolder: string;
}

/**
 * A short, stable tag for the job: request ids are UUIDs or longer, and a
 * hash keeps every derived name short and made of safe characters.
 */
export function jobTag(jobId: string): string {
  return createHash('sha256').update(jobId).digest('hex').slice(0, 12);
}

/**
 * `<database>_<marker>_<tag>`, cut from the database name's end when the
 * whole would not fit 63 bytes. Tenant database names never contain `_`
 * (lowercase letters, digits and `-` only), so no tenant database can ever
 * carry one of these names: dropping them can never hit a tenant's data.
 */
function companionName(database: string, marker: string, tag: string): string {
  const suffix = `_${marker}_${tag}`;
  const room = MAX_IDENTIFIER_BYTES - suffix.length;
  return `${database.slice(0, room)}${suffix}`;
}

export function restoreNames(job: RestoreJob): RestoreNames {
  const tag = jobTag(job.id);
  return {
    target: job.targetDatabaseName,
    scratch: companionName(job.databaseName, 'restore', tag),
    safetyCopy: companionName(job.databaseName, 'safety', tag),
    tempCluster: `dbaas-restore-${tag}`,
    tempInstance: `dbaas-restore-${tag}-1`,
    workFolder: `restore-${tag}`,
  };
}

/** True for names made by {@link restoreNames} as safety copies. */
export function isSafetyCopyName(name: string): boolean {
  return /_safety_[0-9a-f]{12}$/.test(name);
}

/**
 * The definition the provisioner reconciles for a `new-database` target:
 * `<namespace>-<target name>` with its own three roles and secrets.
 */
export function targetDefinition(job: RestoreJob): MergedDatabaseDefinition {
  const prefix = `${job.namespace}-`;
  if (!job.targetDatabaseName.startsWith(prefix)) {
    throw new InputError(
      `Restore target '${job.targetDatabaseName}' is not in namespace '${job.namespace}'`,
    );
  }
  const name = job.targetDatabaseName.slice(prefix.length);
  // Validates the name and the 63-byte limit of its roles; never truncates.
  deriveDatabaseNames(job.namespace, name);
  // The restored database is new: protection applies once it is defined
  // in the apps repository.
  return {
    namespace: job.namespace,
    name: job.target === 'in-place' ? job.name : name,
    mode: job.target === 'in-place' ? job.mode : 'standard',
  };
}

/** The roles of the database restored from (the chart's, on Aurora). */
export function sourceRoles(job: RestoreJob) {
  return deriveDatabaseNames(job.namespace, job.name).roles;
}

/** The roles of the database that receives the data. */
export function targetRoles(job: RestoreJob) {
  const definition = targetDefinition(job);
  return deriveDatabaseNames(definition.namespace, definition.name).roles;
}
