import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** One JSON log line of a replica, with when this process read it. */
export interface ReplicaLogLine {
  receivedAt: number;
  level?: string;
  message?: string;
  [field: string]: unknown;
}

const PACKAGE_DIR = resolvePackagePath('@dbaas/plugin-dbaas-backend');
const ENTRY = resolve(PACKAGE_DIR, 'dev/replica.ts');

/**
 * A backend process running dev/replica.ts (the plugin with Backstage's
 * own scheduler, database and HTTP server), in a process group of its own
 * so that a kill takes its pg_dump/pg_restore children too, as when a pod
 * dies. Its stdout is read as JSON log lines (NODE_ENV=production).
 */
export class ReplicaProcess {
  readonly lines: ReplicaLogLine[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly raw: string[] = [];

  private constructor(
    readonly name: string,
    readonly port: number,
    configPath: string,
  ) {
    this.child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ENTRY,
        '--config',
        configPath,
      ],
      {
        cwd: PACKAGE_DIR,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: {
          ...process.env,
          // JSON lines, and the scheduler's janitor (off under 'test').
          NODE_ENV: 'production',
          LOG_LEVEL: '',
          DBAAS_REPLICA_STOP_WITH_STDIN: '1',
        },
      },
    );
    this.exited = new Promise(done => this.child.once('exit', done));
    this.read(this.child.stdout!);
    this.read(this.child.stderr!);
  }

  static start(name: string, port: number, configPath: string) {
    return new ReplicaProcess(name, port, configPath);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The last lines it printed, for error messages. */
  tail(count = 30): string {
    return this.raw
      .slice(-count)
      .map(line => `  [${this.name}] ${line.slice(0, 400)}`)
      .join('\n');
  }

  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) {
        throw new Error(`${this.name} exited while starting:\n${this.tail()}`);
      }
      try {
        const response = await fetch(this.url('/api/dbaas/health'));
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(
      `${this.name} not healthy after ${timeoutMs} ms:\n${this.tail()}`,
    );
  }

  /** SIGKILL to the whole process group: no shutdown hook runs. */
  async kill(): Promise<void> {
    if (this.alive) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await this.exited;
  }

  /** SIGTERM (Backstage's graceful shutdown), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    process.kill(-this.pid, 'SIGTERM');
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>(r => setTimeout(() => r(false), graceMs)),
    ]);
    if (!stopped) await this.kill();
  }

  private read(stream: NodeJS.ReadableStream) {
    createInterface({ input: stream }).on('line', text => {
      const receivedAt = Date.now();
      this.raw.push(text);
      if (!text.startsWith('{')) return;
      try {
        this.lines.push({ ...JSON.parse(text), receivedAt });
      } catch {
        // Not a log line.
      }
    });
  }
}

/** A port in 64000-64999 nobody listens on, from `from` on. */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < 65000; port++) {
    const free = await new Promise<boolean>(done => {
      const server = createServer()
        .once('error', () => done(false))
        .listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port from ${from}`);
}
