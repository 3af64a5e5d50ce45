import { LoggerService } from '@backstage/backend-plugin-api';
import { RestoreExecutor } from './RestoreExecutor';

/** Restores one replica drives at the same time. */
const MAX_CONCURRENT_DRIVES = 4;

/**
 * Drives due restores in the background of one replica. A restore step
 * can take hours (pg_restore of a large database), far longer than a
 * scheduler tick: each tick only claims work, the drives go on with their
 * leases renewed, and the next tick (on whichever replica) claims what is
 * still unclaimed.
 */
export class RestoreWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly executor: RestoreExecutor,
    private readonly logger: LoggerService,
  ) {}

  /** Starts driving due requests not driven here yet; does not wait for them. */
  async startDue(): Promise<string[]> {
    if (this.shutdown.signal.aborted) {
      return [];
    }
    const room = MAX_CONCURRENT_DRIVES - this.inFlight.size;
    if (room <= 0) {
      return [];
    }
    const due = (await this.executor.findDue(room + this.inFlight.size)).filter(
      id => !this.inFlight.has(id),
    );
    const started = due.slice(0, room);
    for (const id of started) {
      const drive = this.executor
        .drive(id, { signal: this.shutdown.signal })
        .then(
          () => undefined,
          error =>
            this.logger.error(`Restore ${id}: the workflow stopped: ${error}`),
        )
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, drive);
    }
    return started;
  }

  /** Stops driving; leases run out and another replica resumes. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await Promise.all(this.inFlight.values());
  }

  /** Waits for the drives in flight (tests). */
  async idle(): Promise<void> {
    await Promise.all(this.inFlight.values());
  }
}
