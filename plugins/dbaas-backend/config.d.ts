import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * Self-service PostgreSQL (dbaas) configuration.
   */
  dbaas?: {
    /**
     * The GitOps apps repository that holds one folder per database
     * definition: `<basePath>/<namespace>/<folder>/{values,application}.yaml`.
     */
    gitops?: {
      /**
       * `github` opens pull requests on GitHub or GitHub Enterprise with the
       * credentials of the matching `integrations.github` entry; `local`
       * commits to a git repository on disk and merges at once (the embedded
       * default).
       */
      provider: 'github' | 'local';
      /**
       * Repository URL, e.g. `https://github.com/acme/apps`. Required for
       * `github`; the host selects the `integrations.github` entry.
       */
      repoUrl?: string;
      /**
       * Other GitHub apps repositories the scaffolder actions' `repoUrl`
       * input may name (e.g. `https://github.com/acme/apps-eu` or
       * `github.com?owner=acme&repo=apps-eu`), besides `repoUrl`. Any other
       * `repoUrl` is refused before a call is made. Compared by host, owner
       * and repository name, ignoring case. A malformed URL stops startup.
       */
      allowedRepoUrls?: string[];
      /**
       * Folder inside the repository under which tenant folders live.
       * Empty means the repository root.
       * @default ''
       */
      basePath?: string;
      /**
       * Branch that pull requests target and that ArgoCD deploys from.
       * @default 'main'
       */
      baseBranch?: string;
      /** Only for `provider: local`. */
      local?: {
        /** Absolute path of the local git repository. */
        path: string;
      };
      /**
       * Helm chart version written into new `application.yaml` files.
       * @default '1.0.1'
       */
      chartVersion?: string;
      /**
       * Labels and reviewers added to every pull request that creates,
       * changes or removes a protected database (e.g. the platform team).
       */
      protectedDatabases?: {
        labels?: string[];
        reviewers?: string[];
        teamReviewers?: string[];
      };
      /**
       * Bounds of the cache of what is read from a GitHub apps repository
       * (blobs and tree listings by sha, in the plugin's database, shared by
       * replicas; table `dbaas_git_object_cache`). Entries never go stale;
       * these only bound the table.
       */
      objectCache?: {
        /**
         * Entries nobody used for this long are deleted. The sync uses
         * every current definition each cycle, so this only drops old
         * versions. A duration object, or a string like '30d' or 'P30D'.
         * @default { days: 30 }
         */
        maxAge?: HumanDuration | string;
        /**
         * Beyond this size the least recently used entries are deleted;
         * keep it well above one tree's `values.yaml` files (about 1 kB
         * each).
         * @default 256
         */
        maxMegabytes?: number;
      };
      /**
       * `github` only: when a listing of the definitions finds more than
       * this many `values.yaml` files missing from the object cache (a new
       * installation, an emptied cache, a merge of many changes), they are
       * read from the commit's archive (`GET /tarball`: one API call, its
       * download not counted against the rate limit) instead of one blob
       * call each; every file is checked against its blob sha. Below it the
       * blobs cost at most that many calls and transfer only those files
       * (the archive holds the whole repository). `0`: the archive whenever
       * a file is missing; a very large number: never.
       * @default 50
       */
      archiveThreshold?: number;
    };

    /**
     * Naming rules on top of the fixed ones (RFC 1123 namespace, 63-byte
     * role names).
     */
    naming?: {
      /**
       * Namespaces that can never hold databases. A trailing or embedded `*`
       * matches any characters.
       * @default ['kube-*', 'default', 'argocd']
       */
      reservedNamespaces?: string[];
    };

    /**
     * The PostgreSQL clusters that hold the databases. One cluster per
     * Kubernetes cluster holds the databases of many tenants.
     */
    clusters?: Array<{
      /** Unique name of the cluster, used in the catalog and the API. */
      name: string;
      /** Environment, which decides snapshot retention and billing. */
      environment: 'production' | 'staging' | 'test' | 'dev';
      /**
       * `local`: a self-hosted PostgreSQL that the suite provisions itself.
       * `aurora`: AWS Aurora PostgreSQL, provisioned by ArgoCD and the chart;
       * the suite only observes.
       */
      provider: 'local' | 'aurora';
      /**
       * Administrative connection used to observe (and for `local`,
       * provision) the cluster. A connection string or knex-style object.
       * @visibility secret
       */
      connection:
        | string
        | {
            host: string;
            port?: number;
            user: string;
            /** @visibility secret */
            password?: string;
            database?: string;
            /** `require` or `verify-full` in production. */
            ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string };
          };
      /**
       * Host and port that applications and people use to connect, shown in
       * connection snippets (may differ from the admin connection).
       */
      publicEndpoint?: {
        host: string;
        port?: number;
      };
      /** Only for `provider: aurora`. */
      aurora?: {
        region: string;
        clusterIdentifier: string;
      };
      /**
       * Namespaces (tenants) whose databases live on this cluster. Empty
       * means any namespace.
       */
      namespaces?: string[];
      /**
       * For `provider: local`: the capacity, in ACU-equivalents, that
       * billing charges for (Aurora reads it from CloudWatch instead).
       * @default 1
       */
      capacity?: number;
    }>;

    /** Where database credentials are kept. */
    secrets?: {
      /**
       * `aws-secrets-manager` in production; `local` keeps secrets in the
       * plugin's database (never served to browsers).
       * @default 'local'
       */
      provider?: 'aws-secrets-manager' | 'local';
      /**
       * Path of each role's secret. Placeholders: `{namespace}`, `{name}`,
       * `{database}` (`<namespace>-<name>`), `{role}` (the role name
       * `<namespace>-<name>-<access>`), `{access}` (read, write or admin).
       * @default 'customer/{namespace}/{role}'
       */
      pathTemplate?: string;
      /** For `aws-secrets-manager`. */
      aws?: {
        region?: string;
      };
    };

    /** Daily snapshots and their retention. */
    snapshots?: {
      /**
       * When snapshots are taken: the snapshot task's schedule (a global
       * task: one replica per cycle), e.g.
       * `{ frequency: { cron: '0 2 * * *' }, timeout: { hours: 6 } }`.
       * Setting it replaces the whole default.
       *
       * Deprecated form: a cron expression (`'0 2 * * *'`) or a duration
       * (`'12h'`, `{ hours: 12 }`) here, with `dbaas.snapshots.timeout`;
       * still read, with a warning.
       * @default { frequency: { cron: '0 2 * * *' }, timeout: { hours: 6 } } (02:00, inside the 02:00-04:00 window)
       */
      schedule?:
        | SchedulerServiceTaskScheduleDefinitionConfig
        | string
        | HumanDuration;
      /** Days a snapshot is kept, per environment. */
      retention?: {
        /** @default 35 */
        production?: number;
        /** @default 35 */
        staging?: number;
        /** @default 7 */
        test?: number;
        /** @default 7 */
        dev?: number;
      };
      /**
       * How long one snapshot cycle (every database, then pruning) may run
       * before it is aborted. A duration object or an ISO/short string.
       * @default { hours: 6 }
       * @deprecated Use dbaas.snapshots.schedule (its `timeout`).
       */
      timeout?: HumanDuration | string;
      /**
       * For local clusters: logical snapshots (pg_dump, custom format).
       * Required as soon as one cluster has `provider: local`.
       */
      local?: {
        /**
         * Where the dumps are kept: `directory` (the `directory` below) or
         * `s3` (an S3-compatible bucket, `s3` below). Pick one: the
         * `s3` settings with `storage: directory` stop startup.
         * @default directory
         */
        storage?: 'directory' | 's3';
        /**
         * Absolute path of the directory the dump files are kept in
         * (`<directory>/<cluster>/<database>/<id>.dump`, created with mode
         * 0700): it holds a copy of every tenant's data. Required with
         * `storage: directory`; unused (a warning) with `storage: s3`.
         */
        directory?: string;
        /**
         * The bucket for `storage: s3`: objects
         * `<prefix><cluster>/<database>/<id>.dump`, streamed from pg_dump
         * in a multipart upload, tagged `sha256=<hex>`. Needs
         * s3:PutObject, s3:GetObject, s3:DeleteObject, s3:PutObjectTagging,
         * s3:GetObjectTagging, s3:ListBucket, s3:ListBucketMultipartUploads
         * and s3:AbortMultipartUpload (and the KMS key's
         * kms:GenerateDataKey and kms:Decrypt with `aws:kms`).
         */
        s3?: {
          /** The bucket's name. */
          bucket: string;
          /**
           * Key prefix for every object, e.g. `prod/`; a `/` is added when
           * missing.
           * @default ''
           */
          prefix?: string;
          /**
           * AWS region (for an S3-compatible server, whatever it expects,
           * often `us-east-1`). Unset: the AWS SDK's own lookup
           * (AWS_REGION, the profile); none found stops startup.
           */
          region?: string;
          /**
           * URL of an S3-compatible server (MinIO, Ceph, ...), e.g.
           * `https://minio.internal:9000`. Unset for AWS S3.
           */
          endpoint?: string;
          /**
           * Path-style URLs (`<endpoint>/<bucket>/<key>`), which most
           * S3-compatible servers need.
           * @default false
           */
          forcePathStyle?: boolean;
          /**
           * Server-side encryption asked for with every upload: `AES256`
           * (S3-managed keys) or `aws:kms`. Unset: the bucket's default
           * encryption.
           */
          serverSideEncryption?: 'AES256' | 'aws:kms';
          /**
           * KMS key id, ARN or alias for `serverSideEncryption: aws:kms`.
           * Unset: the account's `aws/s3` key.
           */
          kmsKeyId?: string;
          /**
           * Static credentials, with `secretAccessKey`. Unset: the AWS
           * SDK's default credential chain (environment, web identity /
           * IRSA, instance or container role, profile).
           */
          accessKeyId?: string;
          /**
           * Secret of `accessKeyId`.
           * @visibility secret
           */
          secretAccessKey?: string;
          /**
           * Size of one part of the multipart upload, in MiB (5 to 5120).
           * An upload has at most 10,000 parts, so this caps the size of
           * one dump (16 MiB: 156 GiB); about five parts are in memory
           * at once (four uploading, one filling).
           * @default 16
           */
          partSizeMiB?: number;
        };
        /**
         * Absolute path of the directory holding the `pg_dump` to use, e.g.
         * `/usr/lib/postgresql/16/bin`. By default the oldest pg_dump at
         * least as new as the server is picked among
         * `/usr/lib/postgresql/<major>/bin` and the PATH; a pg_dump older
         * than the server is refused.
         */
        binDirectory?: string;
      };
    };

    /**
     * Recovery objectives per environment and mode. Each of `rpo` (how much
     * recent data a restore may lose: the age of the newest recovery point)
     * and `rto` (how long a restore may take: measured by drills and
     * restores) is taken from `environments.<env>.<mode>`, else
     * `environments.<env>`, else `default`. Durations: `{ hours: 4 }`, `'4h'`
     * or `'PT4H'`. An unknown key (`prod`, `protectd`) stops startup.
     */
    objectives?: {
      /**
       * @default { rpo: { hours: 25 }, rto: { hours: 4 } } (a day between daily snapshots, plus an hour)
       */
      default?: {
        rpo?: HumanDuration | string;
        rto?: HumanDuration | string;
      };
      /** Per cluster environment (`dbaas.clusters[].environment`). */
      environments?: {
        [environment in 'production' | 'staging' | 'test' | 'dev']?: {
          rpo?: HumanDuration | string;
          rto?: HumanDuration | string;
          standard?: {
            rpo?: HumanDuration | string;
            rto?: HumanDuration | string;
          };
          protected?: {
            rpo?: HumanDuration | string;
            rto?: HumanDuration | string;
          };
        };
      };
      /**
       * The objectives task's schedule (global: one replica per cycle): it
       * reads every ready database's recovery point (one query per
       * self-hosted cluster, one DescribeDBClusters per Aurora cluster) and
       * measured restore time, and notifies the owners of a database that
       * misses its RPO, once per miss. Setting it replaces the whole
       * default.
       * @default { frequency: { minutes: 5 }, timeout: { minutes: 2 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * Restore drills on self-hosted clusters: each cycle restores the
     * newest snapshot of a few databases (least recently drilled first)
     * into a scratch database `<db>_drill_<tag>` on its cluster, verifies
     * it like a restore, records the time taken as measured RTO and drops
     * the copy; the live database is never written. Aurora databases are
     * not drilled (that needs a temporary cluster).
     */
    drills?: {
      /**
       * Whether the drill task runs at all.
       * @default true
       */
      enabled?: boolean;
      /**
       * The drill task's schedule (global: one replica per cycle). A cycle
       * running past `timeout` is stopped: its drill fails and its copy is
       * dropped. Setting it replaces the whole default.
       * @default { frequency: { cron: '0 5 * * *' }, timeout: { hours: 3 } } (after the 02:00 snapshots)
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Drills per cycle; databases skipped (no snapshot, too large, no
       * room) are not counted.
       * @default 3
       */
      maxDatabasesPerCycle?: number;
      /**
       * Drills running at once (each is a pg_restore with
       * `dbaas.restore.parallelJobs` jobs on the cluster).
       * @default 1
       */
      maxConcurrent?: number;
      /**
       * A database whose newest snapshot is larger is skipped: bytes, or a
       * size like `'10 GiB'` or `'500 MB'`. A database is also skipped when
       * its cluster's free space (where it can be read from the backend's
       * host) is below its size and a fifth more.
       * @default '10 GiB'
       */
      maxSnapshotSize?: number | string;
      /**
       * How long a running drill's claim lasts without its heartbeat: after
       * a replica dies, the next cycle fails its drill and drops its copy
       * once this has passed.
       * @default { minutes: 2 }
       */
      leaseDuration?: HumanDuration | string;
    };

    /**
     * Just-in-time personal access: people ask for a personal login role
     * (a member of a database's `read`, `write` or `admin` role) for a
     * while, instead of using the application roles' secrets. The password
     * is shown once, to the requester, when they activate the grant.
     */
    access?: {
      /**
       * The longest access one may ask for (from activation on); longer
       * requests are refused with a 400.
       * @default { hours: 8 }
       */
      maxDuration?: HumanDuration | string;
      /**
       * The duration the request form proposes (capped at `maxDuration`).
       * @default { hours: 1 }
       */
      defaultDuration?: HumanDuration | string;
      /**
       * How long a pending grant waits for a decision, and an approved
       * one for its activation, before it expires.
       * @default { hours: 24 }
       */
      requestTtl?: HumanDuration | string;
      /**
       * Per cluster environment (`dbaas.clusters[].environment`) and
       * database mode: `auto` approves requests of the tenant's owners at
       * once, `approval` makes them wait for someone with
       * `dbaas.access.approve`. Requests of anybody else always wait, and
       * nobody ever approves their own request.
       * @default auto for standard databases outside production, approval otherwise
       */
      approval?: {
        production?: {
          standard?: 'auto' | 'approval';
          protected?: 'auto' | 'approval';
        };
        staging?: {
          standard?: 'auto' | 'approval';
          protected?: 'auto' | 'approval';
        };
        test?: {
          standard?: 'auto' | 'approval';
          protected?: 'auto' | 'approval';
        };
        dev?: {
          standard?: 'auto' | 'approval';
          protected?: 'auto' | 'approval';
        };
      };
      /**
       * Group entity refs notified of every request waiting for approval
       * (e.g. the platform team), on top of the requester and the owners.
       */
      notifyGroups?: string[];
      /**
       * The access task's schedule (a global task): it expires grants,
       * revokes grants on databases that no longer exist and drops the
       * login roles of ended grants (terminating their sessions). Logins
       * stop at `VALID UNTIL` even when the task is late. Setting it
       * replaces the whole default.
       * @default { frequency: { minutes: 1 }, timeout: { minutes: 5 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * Rotation of application credentials (`<db>-read`, `-write`,
     * `-admin`). Owners rotate on demand (`dbaas.credentials.rotate`;
     * protected databases and production clusters wait for an approver
     * with `dbaas.access.approve`, never the requester). Scheduled
     * rotation is off unless an environment has a period here. Self-hosted
     * clusters rotate with two alternating login users per role (the role
     * and its twin); Aurora secrets rotate with their Secrets Manager
     * rotation function (RotateSecret). An unknown key stops startup.
     */
    rotation?: {
      /** Periods per cluster environment (`dbaas.clusters[].environment`). */
      environments?: {
        production?: {
          /**
           * Rotate each role's credential when its last rotation (or,
           * never rotated, its secret's last change) is older than this:
           * `{ days: 30 }`, `'30d'` or `'P30D'`; at least an hour.
           */
          every?: HumanDuration | string;
        };
        staging?: {
          /**
           * Rotate each role's credential when its last rotation (or,
           * never rotated, its secret's last change) is older than this:
           * `{ days: 30 }`, `'30d'` or `'P30D'`; at least an hour.
           */
          every?: HumanDuration | string;
        };
        test?: {
          /**
           * Rotate each role's credential when its last rotation (or,
           * never rotated, its secret's last change) is older than this:
           * `{ days: 30 }`, `'30d'` or `'P30D'`; at least an hour.
           */
          every?: HumanDuration | string;
        };
        dev?: {
          /**
           * Rotate each role's credential when its last rotation (or,
           * never rotated, its secret's last change) is older than this:
           * `{ days: 30 }`, `'30d'` or `'P30D'`; at least an hour.
           */
          every?: HumanDuration | string;
        };
      };
      /**
       * An Aurora rotation still pending (AWSPENDING) after this long is
       * marked failed.
       * @default { hours: 1 }
       */
      pendingTimeout?: HumanDuration | string;
      /**
       * The rotation task's schedule (global: one replica per cycle): runs
       * approved rotations left behind, follows Aurora rotations and
       * starts the scheduled ones that are due. Setting it replaces the
       * whole default.
       * @default { frequency: { minutes: 15 }, timeout: { minutes: 10 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /** Restore requests and their approval flow. */
    restore?: {
      /**
       * Group entity refs whose members may approve restores. When set, it
       * limits approvers beyond the `dbaas.restore.approve` permission.
       * Nobody ever approves their own request.
       */
      approvers?: string[];
      /**
       * How long a request waits for approval before it expires.
       * @default { hours: 24 }
       */
      requestTtl?: HumanDuration | string;
      /**
       * How long the previous data of an in-place restore is kept as a
       * safety copy before it is dropped.
       * @default { days: 7 }
       */
      keepSafetyCopyFor?: HumanDuration | string;
      /**
       * `pg_restore --jobs`: tables and indexes restored in parallel.
       * @default the number of CPUs, at most 4
       */
      parallelJobs?: number;
      /**
       * Folder holding pg_dump and pg_restore, at least as new as the
       * clusters' servers (checked before every restore). Falls back to
       * `dbaas.snapshots.local.binDirectory`; without either, the oldest
       * pg_restore at least as new as the server is picked among
       * /usr/lib/postgresql/<major>/bin and the PATH, as for snapshots.
       */
      binDirectory?: string;
      /**
       * Where Aurora restores keep the pg_dump of the temporary cluster
       * until the restore ends (needs room for one compressed database).
       * @default <os temp dir>/dbaas-restores
       */
      workDirectory?: string;
      /**
       * The restore task's schedule (a global task: each tick on one
       * replica): it expires requests, drops safety copies that are due
       * and starts driving approved restores. Setting it replaces the whole
       * default.
       * @default { frequency: { seconds: 10 }, timeout: { minutes: 5 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How often the restore task runs.
       * @default { seconds: 10 }
       * @deprecated Use dbaas.restore.schedule (its `frequency`).
       */
      workerFrequency?: HumanDuration | string;
      /**
       * How long a replica's claim on a running restore lasts without being
       * renewed (it is renewed while a step runs). After a replica dies,
       * another resumes the restore once this has passed.
       * @default { minutes: 2 }
       */
      leaseDuration?: HumanDuration | string;
      /**
       * Preview before an in-place swap, per mode of the database. When
       * `required`, an in-place restore is restored and verified into a
       * scratch copy, previewed (rows per table at the snapshot and now,
       * tables and columns added or dropped since), and then waits in
       * `awaiting-finalize` until it is finalized: a standard database's
       * by its requester, a protected database's by an approver (never the
       * requester). Not finalized within `timeLimit`, the scratch copy is
       * dropped and the request ends `expired`, the live database untouched.
       * Read when a restore is requested: a request keeps the rule it was
       * made (and approved) with.
       */
      finalize?: {
        /** Standard databases. */
        standard?: {
          /** @default true */
          required?: boolean;
          /**
           * How long the restore waits for its finalize. On Aurora the
           * temporary cluster is kept until the end of the restore, so
           * this time is paid for.
           * @default { hours: 24 }
           */
          timeLimit?: HumanDuration | string;
        };
        /** Protected databases. */
        protected?: {
          /** @default true */
          required?: boolean;
          /** @default { hours: 24 } */
          timeLimit?: HumanDuration | string;
        };
      };
      /**
       * The databases `new-database` restores create ("restored copies").
       * A copy nobody keeps is dropped with its roles and secrets once
       * `expireAfter` has passed since its restore ended; "Keep" opens a
       * pull request adding it to the apps repository (it then never
       * expires), "Delete now" drops it at once.
       */
      copies?: {
        /**
         * How long a restored copy lives unless kept. Fixed for each copy
         * when its restore ends.
         * @default { days: 7 }
         */
        expireAfter?: HumanDuration | string;
        /**
         * How long before its expiry the tenant's owners and the requester
         * are told (once); they are told again when it is dropped.
         * @default { days: 1 }
         */
        warnBefore?: HumanDuration | string;
        /**
         * The restored copies task's schedule (a global task: each tick on
         * one replica): it records new copies, sends the expiry warnings
         * and drops expired copies. Setting it replaces the whole default.
         * @default { frequency: { minutes: 1 }, timeout: { minutes: 10 } }
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };

    /** How the shared clusters' cost is priced and split between tenants. */
    billing?: {
      /** ISO 4217 currency code. @default 'USD' */
      currency?: string;
      prices?: {
        /** Price of one Aurora Capacity Unit for one hour. @default 0.12 */
        acuHour?: number;
        /** Price of one GB (2^30 bytes) of storage for one month. @default 0.1 */
        storageGbMonth?: number;
        /** Price of one GB (2^30 bytes) of snapshots for one month. @default 0.021 */
        snapshotGbMonth?: number;
        /** Fixed monthly fee per cluster. @default 0 */
        baseMonthly?: number;
      };
      allocation?: {
        /**
         * How compute that no database used (idle capacity) is split:
         * `proportional` to each database's measured activity, `even`
         * between the databases of the cluster, or by `storage` share.
         * @default 'proportional'
         */
        idleCapacity?: 'proportional' | 'even' | 'storage';
        /** How the base fee is split. @default 'even' */
        baseFee?: 'even' | 'storage';
      };
      /**
       * The billing task's schedule (a global task: one replica per
       * cycle). Each cycle bills the complete hours not yet final and the
       * current hour provisionally; it also sends budget alerts. A cycle
       * running past `timeout` is aborted (the next one continues). The
       * default waits 2 minutes after startup for a couple of metrics
       * samples; setting the key replaces the whole default, that delay
       * included unless `initialDelay` is given.
       * @default { frequency: { minutes: 15 }, timeout: { minutes: 10 }, initialDelay: { minutes: 2 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How often hours are priced.
       * @default { minutes: 15 }
       * @deprecated Use dbaas.billing.schedule (its `frequency`).
       */
      frequency?: HumanDuration | string;
      /**
       * A cycle running longer is aborted.
       * @default { minutes: 10 }
       * @deprecated Use dbaas.billing.schedule (its `timeout`).
       */
      timeout?: HumanDuration | string;
      /** How long billing rows are kept. */
      retention?: {
        /** Priced hours per database. @default { days: 35 } */
        hour?: HumanDuration | string;
        /** Daily rollups, what reports read. @default { days: 400 } */
        day?: HumanDuration | string;
      };
    };

    /** What connection snippets show. */
    connection?: {
      /**
       * The command people run to reach the cluster from a laptop.
       * @default 'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432'
       */
      portForwardCommand?: string;
      /**
       * True when people reach the clusters' public endpoints directly (the
       * embedded default): snippets then skip the port-forward.
       * @default false
       */
      direct?: boolean;
      /** pgAdmin URL, linked from the connection card when set. */
      pgAdminUrl?: string;
      /**
       * Default sslmode in snippets.
       * @default 'require'
       */
      sslmode?: 'require' | 'verify-full';
    };

    /** The inventory sync (a global scheduled task: one run per cycle across replicas). */
    inventory?: {
      /**
       * The inventory task's schedule: how often the apps repository, its
       * pull requests and the clusters are compared, and how long a cycle
       * may run before it is aborted. Setting it replaces the whole
       * default.
       * @default { frequency: { minutes: 1 }, timeout: { minutes: 10 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How often the inventory is synced.
       * @default { minutes: 1 }
       * @deprecated Use dbaas.inventory.schedule (its `frequency`).
       */
      frequency?: HumanDuration | string;
      /**
       * A cycle running longer is aborted.
       * @default { minutes: 10 }
       * @deprecated Use dbaas.inventory.schedule (its `timeout`).
       */
      timeout?: HumanDuration | string;
      /**
       * An Aurora database not ready this long after its pull request was
       * merged is `failed`.
       * @default { minutes: 15 }
       */
      failAfter?: HumanDuration | string;
      /**
       * Requests for a sync (`POST /refresh`, GitHub webhooks) less than
       * this apart are served by one cycle: a triggered cycle starts once no
       * request came for this long (waiting at most five times as long).
       * Requests made while a cycle runs are served by one more cycle right
       * after it. Calls are never refused for being too frequent.
       * @default { seconds: 1 }
       */
      refreshDebounce?: HumanDuration | string;
      /**
       * GitHub webhooks of the apps repository (`provider: github`), received
       * by `@backstage/plugin-events-backend` with
       * `@backstage/plugin-events-backend-module-github` (which checks their
       * signature with `events.modules.github.webhookSecret`). A push to the
       * base branch, or a suite pull request opened, updated, closed or
       * merged, starts a sync within seconds; events of other repositories
       * are ignored.
       */
      webhooks?: {
        /**
         * Whether to sync on webhooks at all.
         * @default true
         */
        enabled?: boolean;
        /**
         * While webhooks arrive, polling is the fallback: a scheduled cycle
         * is skipped when a cycle that served a webhook started less than
         * this ago (and completed). Requests are never skipped, and a failed
         * cycle leaves its requests to the next poll. Cluster-side changes
         * (an Aurora database becoming available) are therefore seen at most
         * about this plus the schedule's frequency late. `0` never skips.
         * @default { minutes: 5 }
         */
        quietPeriod?: HumanDuration | string;
      };
    };

    /**
     * Database metrics: every cluster is sampled (one connection per
     * cluster per cycle) by a global scheduled task; samples are rolled up
     * into hourly and daily averages.
     */
    metrics?: {
      /**
       * The sampling task's schedule: how often every cluster is sampled,
       * and how long a cycle may run before it is aborted. Setting it
       * replaces the whole default.
       * @default { frequency: { minutes: 1 }, timeout: { minutes: 5 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How often every cluster is sampled.
       * @default { minutes: 1 }
       * @deprecated Use dbaas.metrics.schedule (its `frequency`).
       */
      frequency?: HumanDuration | string;
      /**
       * A cycle running longer is aborted.
       * @default { minutes: 5 }
       * @deprecated Use dbaas.metrics.schedule (its `timeout`).
       */
      timeout?: HumanDuration | string;
      /**
       * How long each resolution is kept. A metrics range is served from
       * raw samples when it lies within `raw`, from hourly averages within
       * `hour`, from daily averages otherwise.
       */
      retention?: {
        /** @default { days: 2 } */
        raw?: HumanDuration | string;
        /** @default { days: 35 } */
        hour?: HumanDuration | string;
        /** @default { days: 400 } */
        day?: HumanDuration | string;
      };
    };

    /**
     * The catalog entities of databases and clusters; read by
     * `@dbaas/plugin-catalog-backend-module-dbaas`.
     * @deprecated use `catalog.providers.dbaas` (see that package's config.d.ts)
     */
    catalog?: {
      /**
       * Owner of cluster entities, and of databases whose tenant has no
       * known owner.
       * @deprecated use `catalog.providers.dbaas.owner`; still read, with a
       * warning, when that key is absent
       */
      owner?: string;
      /**
       * How often the entities are emitted again from the inventory.
       * @deprecated use `catalog.providers.dbaas.schedule`
       * (`{ frequency, timeout, initialDelay?, scope? }`); still read, with a
       * warning, when that key is absent
       */
      refreshFrequency?: HumanDuration | string;
    };

    /**
     * Tenants (Kubernetes namespaces) and their owners, used where the
     * catalog does not say who owns a namespace.
     */
    tenants?: Array<{
      namespace: string;
      /** Entity ref of the owning group, e.g. `group:default/payments`. */
      owner: string;
      /** Monthly budget in the billing currency. */
      budget?: number;
    }>;
  };
}
