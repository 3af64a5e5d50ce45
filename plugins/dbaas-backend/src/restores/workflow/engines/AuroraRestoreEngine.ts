import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RDSClient } from '@aws-sdk/client-rds';
import { ForwardedError, InputError } from '@backstage/errors';
import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import { ClusterConnection, openClusterClient } from '@dbaas/plugin-dbaas-node';
import { runPgTool } from '../../../pgTools';
import {
  describeEvidence,
  measureDatabase,
  SnapshotEvidence,
} from '../../../snapshots/evidence';
import { pointInTimeOf } from '../../../snapshots/pointInTime';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreStepOutcome,
} from '../RestoreEngine';
import { AdminSession } from './AdminSession';
import { AuroraTempCluster } from './AuroraTempCluster';
import { AwsRetryOptions, realSleep, Sleep } from './awsRetry';
import { EngineState, engineState, toWorkState } from './engineState';
import { PrimaryRestore, PrimaryRestoreOptions } from './PrimaryRestore';
import { restoreNames, sourceRoles } from './restoreNames';

export interface AuroraRestoreEngineOptions extends PrimaryRestoreOptions {
  /** One RDS client per region. @defaultValue `new RDSClient({ region })` */
  rdsClientFor?: (region: string) => RDSClient;
  /** How often the temporary cluster is polled. @defaultValue 30 s */
  pollIntervalMs?: number;
  /** Give up waiting for the temporary cluster after. @defaultValue 3 h */
  tempClusterTimeoutMs?: number;
  /** Back-off for AWS throttling (injectable for tests). */
  sleep?: Sleep;
  /** Retries of the temporary cluster's deletion in a failure's cleanup. @defaultValue 8 */
  deletionAttempts?: number;
  now?: () => Date;
}

/**
 * Restores on Aurora: a temporary cluster from the cluster snapshot (or,
 * for a `pitr:<moment>` source, from the cluster's continuous backup to
 * that moment),
 * `pg_dump --format=custom` of the database from it, then the same
 * restore/verify/swap/grants into the primary as on self-hosted clusters,
 * and the temporary cluster's deletion.
 *
 * The temporary cluster is a copy of the source cluster, so its master
 * user and password are the source's: the dump connects with the
 * primary's admin connection settings (user, password, TLS) and only the
 * host and port changed.
 */
export class AuroraRestoreEngine implements RestoreEngine {
  readonly #primary: PrimaryRestore;
  readonly #options: AuroraRestoreEngineOptions;
  readonly #clients = new Map<string, RDSClient>();

  constructor(options: AuroraRestoreEngineOptions) {
    this.#primary = new PrimaryRestore(options);
    this.#options = options;
  }

  steps(job: RestoreJob): RestoreStep[] {
    return [
      'preflight',
      'temp-cluster-create',
      'temp-cluster-wait',
      'dump',
      'restore',
      'verify',
      ...(job.target === 'in-place' ? (['swap'] as const) : []),
      'grants',
      'cleanup',
    ];
  }

  async runStep(
    step: RestoreStep,
    context: RestoreStepContext,
  ): Promise<RestoreStepOutcome> {
    const done = (state: EngineState = {}): RestoreStepOutcome => ({
      kind: 'done',
      state: toWorkState(state),
    });
    switch (step) {
      case 'preflight':
        return done(await this.#preflight(context));
      case 'temp-cluster-create':
        return done(await this.#createTempCluster(context));
      case 'temp-cluster-wait':
        return this.#waitForTempCluster(context);
      case 'dump':
        return done(await this.#dump(context));
      case 'restore':
        return done(await this.#primary.restore(context));
      case 'verify':
        return done(await this.#primary.verify(context));
      case 'swap':
        return done(await this.#primary.swap(context));
      case 'grants':
        return done(await this.#primary.grants(context));
      case 'cleanup':
        return this.#finalCleanup(context);
      default:
        throw new InputError(`Step '${step}' is not part of an Aurora restore`);
    }
  }

  async cleanup(context: RestoreStepContext): Promise<void> {
    // The temporary cluster first: it costs money every hour it lives.
    const errors: unknown[] = [];
    await this.#deleteTempClusterWithRetries(context).catch(e =>
      errors.push(e),
    );
    await this.#primary.cleanUpPrimary(context).catch(e => errors.push(e));
    if (errors.length > 0) {
      throw errors[0];
    }
  }

  async dropSafetyCopy(job: RestoreJob, name: string): Promise<void> {
    await this.#primary.dropSafetyCopy(job, name);
  }

  #tempCluster(job: RestoreJob): AuroraTempCluster {
    const aurora = job.cluster.aurora;
    if (!aurora) {
      throw new InputError(
        `Cluster '${job.cluster.name}' has no aurora settings (region, clusterIdentifier)`,
      );
    }
    let client = this.#clients.get(aurora.region);
    if (!client) {
      client =
        this.#options.rdsClientFor?.(aurora.region) ??
        new RDSClient({ region: aurora.region });
      this.#clients.set(aurora.region, client);
    }
    const names = restoreNames(job);
    return new AuroraTempCluster(
      client,
      {
        sourceCluster: aurora.clusterIdentifier,
        tempCluster: names.tempCluster,
        tempInstance: names.tempInstance,
        snapshotId: job.snapshotId,
        pointInTime: pointInTimeOf(job.snapshotId),
        restoreId: job.id,
      },
      this.#retry(),
    );
  }

  #retry(attempts?: number): AwsRetryOptions {
    return { sleep: this.#options.sleep ?? realSleep, attempts };
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  async #preflight(context: RestoreStepContext): Promise<EngineState> {
    const { job } = context;
    const source = await this.#tempCluster(job).checkSource();
    let originalSize = 0;
    const state = await this.#primary.preflight(context, size => {
      originalSize = size ?? 0;
      return size ?? 0;
    });
    // pg_dump, next to the pg_restore preflight chose, must be at least as
    // new as the server it dumps (checked again against the temporary
    // cluster before the dump).
    const server = await AdminSession.with(job.cluster.connection, s =>
      s.serverVersion(),
    );
    await this.#primary.tools.at(state.binDirectory!, 'pg_dump', {
      versionNum: server.num,
      description: `cluster '${job.cluster.name}' (PostgreSQL ${server.version})`,
    });
    // The dump lands here; a compressed dump is smaller than the database.
    const workDirectory = this.#primary.settings.workDirectory;
    await mkdir(workDirectory, { recursive: true });
    const free = await this.#primary.freeSpace({
      kind: 'work-directory',
      path: workDirectory,
    });
    if (free !== undefined && free < originalSize) {
      throw new InputError(
        `Not enough free space in ${workDirectory} for the dump: ${free} bytes free, up to ${originalSize} needed`,
      );
    }
    await context.log(
      'info',
      `${source}; temporary cluster '${state.names!.tempCluster}'`,
    );
    return {
      ...state,
      dumpFile: join(this.#primary.workFolder(state, job), 'dump.pgdump'),
    };
  }

  async #createTempCluster(context: RestoreStepContext): Promise<EngineState> {
    const state = engineState(context.state);
    const done = await this.#tempCluster(context.job).create();
    for (const line of done) {
      await context.log('info', line);
    }
    return {
      tempClusterRequestedAt:
        state.tempClusterRequestedAt ?? this.#now().toISOString(),
    };
  }

  async #waitForTempCluster(
    context: RestoreStepContext,
  ): Promise<RestoreStepOutcome> {
    const { job } = context;
    const state = engineState(context.state);
    const status = await this.#tempCluster(job).status();
    if (status.kind === 'ready') {
      await context.log(
        'info',
        `temporary cluster '${state.names?.tempCluster}' is available`,
      );
      return {
        kind: 'done',
        state: toWorkState({ tempEndpoint: status.endpoint }),
      };
    }
    if (status.kind === 'failed') {
      throw new InputError(
        `Temporary cluster '${state.names?.tempCluster}' cannot be used: ${status.status}`,
      );
    }
    const since = Date.parse(state.tempClusterRequestedAt ?? '');
    const timeout = this.#options.tempClusterTimeoutMs ?? 3 * 3600_000;
    if (Number.isFinite(since) && this.#now().getTime() - since > timeout) {
      throw new InputError(
        `Temporary cluster '${
          state.names?.tempCluster
        }' was not available after ${Math.round(timeout / 60_000)} minutes (${
          status.status
        })`,
      );
    }
    return {
      kind: 'wait',
      retryAfterMs: this.#options.pollIntervalMs ?? 30_000,
    };
  }

  /** pg_dump from the temporary cluster into a file; a finished file is kept. */
  async #dump(context: RestoreStepContext): Promise<EngineState> {
    const { job } = context;
    const state = engineState(context.state);
    const { dumpFile, tempEndpoint, binDirectory } = state;
    if (!dumpFile || !tempEndpoint || !binDirectory) {
      throw new InputError(
        'The dump step needs preflight and the temporary cluster',
      );
    }
    const source = job.cluster.connection;
    const temp: ClusterConnection = {
      host: tempEndpoint.host,
      port: tempEndpoint.port,
      user: source.user,
      database: source.database,
      ssl: source.ssl,
    };
    // Not enumerable, as in the configuration: never serialised.
    Object.defineProperty(temp, 'password', {
      value: source.password,
      enumerable: false,
    });
    if (
      await stat(dumpFile).then(
        () => true,
        () => false,
      )
    ) {
      await context.log('info', `dump ${dumpFile} was already complete`);
      // Nobody writes to the temporary cluster: measured again, it is
      // still what the dump holds.
      return state.evidence
        ? {}
        : { evidence: await this.#measureTempCluster(context, temp) };
    }
    const server = await AdminSession.with(temp, s => s.serverVersion()).catch(
      error => {
        throw new ForwardedError(
          `Could not connect to temporary cluster at ${tempEndpoint.host}:${tempEndpoint.port} as ${source.user}`,
          error,
        );
      },
    );
    await this.#joinOwnerOnTempCluster(context, temp);
    const pgDump = await this.#primary.tools.at(binDirectory, 'pg_dump', {
      versionNum: server.num,
      description: `the temporary cluster (PostgreSQL ${server.version})`,
    });
    // The evidence the verify step compares the restored copy with.
    const evidence = await this.#measureTempCluster(context, temp);
    const folder = this.#primary.workFolder(state, job);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const partial = `${dumpFile}.partial`;
    await rm(partial, { force: true });
    const started = Date.now();
    await runPgTool({
      tool: pgDump,
      args: [
        '--format=custom',
        '--no-password',
        `--dbname=${job.databaseName}`,
        `--file=${partial}`,
      ],
      what: `pg_dump of '${job.databaseName}' from the temporary cluster`,
      target: {
        connection: temp,
        database: job.databaseName,
        applicationName: 'backstage-dbaas-restore',
      },
      signal: context.signal,
    });
    // Only a finished dump gets the final name, so a re-run can trust it.
    await rename(partial, dumpFile);
    const { size } = await stat(dumpFile);
    await context.log(
      'info',
      `dumped '${
        job.databaseName
      }' from the temporary cluster (${size} bytes, ${Math.round(
        (Date.now() - started) / 1000,
      )} s)`,
    );
    return { evidence };
  }

  /**
   * Per-table rows and content hashes of the database on the temporary
   * cluster, which nobody writes to: taken before the dump, they are what
   * the dump holds.
   */
  async #measureTempCluster(
    context: RestoreStepContext,
    temp: ClusterConnection,
  ): Promise<SnapshotEvidence> {
    const { databaseName } = context.job;
    const client = await openClusterClient(temp, {
      database: databaseName,
      applicationName: 'backstage-dbaas-restore',
    });
    try {
      const evidence = await measureDatabase(client, {
        signal: context.signal,
      });
      await context.log(
        'info',
        `measured '${databaseName}' on the temporary cluster for the verification: ${describeEvidence(
          evidence,
        )}`,
      );
      return evidence;
    } finally {
      await client.end().catch(() => {});
    }
  }

  /**
   * Aurora's master user is no superuser: it reads the database's tables
   * only as a member of their owner, `<db>-admin`. It joins that role on
   * the temporary cluster, a throwaway copy, never on the shared cluster.
   */
  async #joinOwnerOnTempCluster(
    context: RestoreStepContext,
    temp: ClusterConnection,
  ): Promise<void> {
    const { job } = context;
    const owner = sourceRoles(job).admin;
    const joined = await AdminSession.with(temp, async session => {
      if (
        !(await session.roleExists(owner)) ||
        (await session.canSetRole(owner))
      ) {
        return false;
      }
      await session.grantRoleToSelf(owner);
      return true;
    });
    if (joined) {
      await context.log(
        'info',
        `granted ${owner} to ${temp.user} on the temporary cluster, to read its tables`,
      );
    }
  }

  async #finalCleanup(
    context: RestoreStepContext,
  ): Promise<RestoreStepOutcome> {
    await this.#primary.removeWorkFolder(context);
    const result = await this.#tempCluster(context.job).delete();
    const name = engineState(context.state).names?.tempCluster;
    if (result === 'busy') {
      await context.log(
        'warning',
        `AWS refused to delete temporary cluster '${name}' for now; trying again`,
      );
      return {
        kind: 'wait',
        retryAfterMs: this.#options.pollIntervalMs ?? 30_000,
      };
    }
    await context.log('info', `temporary cluster '${name}' is ${result}`);
    return { kind: 'done', state: toWorkState({ tempClusterDeleted: true }) };
  }

  /** Failure path: retried with back-off, then surfaced, never dropped. */
  async #deleteTempClusterWithRetries(
    context: RestoreStepContext,
  ): Promise<void> {
    const { job } = context;
    const names = restoreNames(job);
    const attempts = this.#options.deletionAttempts ?? 8;
    const sleep = this.#options.sleep ?? realSleep;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const result = await this.#tempCluster(job).delete();
        if (result !== 'busy') {
          if (result === 'deleting') {
            await context.log(
              'info',
              `deleting temporary cluster '${names.tempCluster}'`,
            );
          }
          return;
        }
        lastError = new Error(
          'AWS refused the deletion for now (cluster busy)',
        );
      } catch (error) {
        lastError = error;
      }
      await context.log(
        'warning',
        `could not delete temporary cluster '${names.tempCluster}' yet (attempt ${attempt} of ${attempts})`,
      );
      if (attempt < attempts) {
        await sleep(Math.min(60_000, 5_000 * 2 ** (attempt - 1)));
      }
    }
    throw new ForwardedError(
      `Temporary Aurora cluster '${names.tempCluster}' (instance '${names.tempInstance}', region ${job.cluster.aurora?.region}) is still there after ${attempts} deletion attempts; run the cleanup again or delete it by hand`,
      lastError,
    );
  }
}
