import { mockCredentials } from '@backstage/backend-test-utils';
import { Client } from 'pg';
import { ReplicaProcess } from './ReplicaProcess';

/** Who asks for restores, and who approves them, in the replica tests. */
export const REQUESTER = 'user:default/guest';
export const APPROVER = 'user:default/pat';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The URL of another database on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * What the two-replica test does to its replicas and their PostgreSQL:
 * HTTP calls as a person (dev/replica.ts takes mock user tokens), SQL on
 * the cluster, and reading the restore rows the replicas share.
 */
export class ReplicaHarness {
  constructor(
    readonly options: {
      clusterUrl: string;
      tenant: string;
      replicas: ReplicaProcess[];
      /** The plugin database both replicas use. */
      pluginDb: Client;
    },
  ) {}

  /** Runs statements in one session (as `role` when given); their rows. */
  async sql(database: string, statements: string[], role?: string) {
    const client = new Client({
      connectionString: databaseUrl(this.options.clusterUrl, database),
    });
    await client.connect();
    try {
      if (role) await client.query(`SET ROLE "${role}"`);
      const results = [];
      for (const statement of statements) {
        results.push((await client.query(statement)).rows);
      }
      return results;
    } finally {
      await client.end();
    }
  }

  /** Probes every 100 ms until it answers; the replicas' last lines if not. */
  async waitFor<T>(
    what: string,
    timeoutMs: number,
    probe: () => Promise<T | undefined>,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        const tails = this.options.replicas.map(r => r.tail()).join('\n');
        throw new Error(`${what}: not within ${timeoutMs} ms\n${tails}`);
      }
      await sleep(100);
    }
  }

  async api(
    replica: ReplicaProcess,
    method: string,
    path: string,
    options: { user?: string; body?: object; expect?: number } = {},
  ) {
    const response = await fetch(replica.url(`/api/dbaas${path}`), {
      method,
      headers: {
        authorization: mockCredentials.user.header(options.user ?? REQUESTER),
        ...(options.body ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    if (options.expect !== undefined && response.status !== options.expect) {
      throw new Error(
        `${method} ${path} on ${replica.name}: ${response.status} ${text}`,
      );
    }
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  /** An on-demand snapshot, taken by `replica` (201 once pg_dump is done). */
  async takeSnapshot(replica: ReplicaProcess, name: string): Promise<string> {
    const path = `/databases/${this.options.tenant}/${name}/snapshots`;
    return this.waitFor(`a snapshot on ${replica.name}`, 60_000, async () => {
      const response = await this.api(replica, 'POST', path);
      // 409: the scheduled cycle is taking one of this database right now.
      if (response.status === 409) return undefined;
      if (response.status !== 201) {
        throw new Error(`POST ${path}: ${response.status}`);
      }
      return response.body.id as string;
    });
  }

  /** The requester asks on `replica`, the approver approves there; the id. */
  async requestAndApprove(
    replica: ReplicaProcess,
    name: string,
    body: object,
  ): Promise<string> {
    const path = `/databases/${this.options.tenant}/${name}/restores`;
    const created = await this.api(replica, 'POST', path, {
      body,
      expect: 201,
    });
    if (created.body.state !== 'pending-approval') {
      throw new Error(`A new restore is ${created.body.state}`);
    }
    const approved = await this.api(
      replica,
      'POST',
      `/restores/${created.body.id}/approve`,
      { user: APPROVER, body: {}, expect: 200 },
    );
    if (approved.body.state !== 'approved') {
      throw new Error(`An approved restore is ${approved.body.state}`);
    }
    return created.body.id;
  }

  /** The replica whose process holds a lease (`<host>:<pid>:<uuid>`). */
  leaseHolder(owner: string): ReplicaProcess | undefined {
    const pid = owner.split(':')[1];
    return this.options.replicas.find(r => String(r.pid) === pid);
  }

  async restoreRow(id: string) {
    const { rows } = await this.options.pluginDb.query(
      `SELECT state, current_step, lease_owner
         FROM dbaas_restore_requests WHERE id = $1`,
      [id],
    );
    return rows[0] as {
      state: string;
      current_step: string | null;
      lease_owner: string | null;
    };
  }

  /**
   * Waits for the end of a restore: its state, and the replicas that held
   * its lease in turn, each with when it was first seen holding it.
   */
  async waitForEnd(id: string, timeoutMs: number) {
    const holders: Array<{ name: string; since: number }> = [];
    const state = await this.waitFor(`restore ${id}`, timeoutMs, async () => {
      const row = await this.restoreRow(id);
      const name = row.lease_owner
        ? this.leaseHolder(row.lease_owner)?.name ?? row.lease_owner
        : undefined;
      if (name && holders[holders.length - 1]?.name !== name) {
        holders.push({ name, since: Date.now() });
      }
      return ['succeeded', 'failed'].includes(row.state)
        ? row.state
        : undefined;
    });
    return { state, holders };
  }
}
