import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DatabaseMetricPoint,
  DatabaseMetricsResponse,
  DatabaseRef,
  dbaasDatabaseReadPermission,
} from '@dbaas/plugin-dbaas-common';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { MetricsStore, StoredMetricPoint } from './MetricsStore';

/** The default range: the last 24 hours. */
const DEFAULT_RANGE_MS = 24 * 3_600_000;

/** `2026-11-23`, `2026-11-23T10:00Z`, `2026-11-23T10:00:00.000+01:00`... */
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseTimestamp(name: string, value: unknown): Date | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const time =
    typeof value === 'string' && ISO_TIMESTAMP.test(value)
      ? Date.parse(value)
      : NaN;
  if (Number.isNaN(time)) {
    throw new InputError(
      `'${name}' must be an ISO 8601 timestamp, e.g. 2026-11-23T10:00:00Z; got '${String(
        value,
      )}'`,
    );
  }
  return new Date(time);
}

/**
 * `from` and `to` of a metrics request: ISO 8601 timestamps, by default
 * the 24 hours up to now (or up to `to`). Throws InputError (400) for a
 * malformed timestamp or `from` after `to`.
 */
export function parseMetricsRange(
  query: { from?: unknown; to?: unknown },
  now: Date = new Date(),
): { from: Date; to: Date } {
  const to = parseTimestamp('to', query.to) ?? now;
  const from =
    parseTimestamp('from', query.from) ??
    new Date(to.getTime() - DEFAULT_RANGE_MS);
  if (from.getTime() > to.getTime()) {
    throw new InputError(
      `'from' (${from.toISOString()}) must not be after 'to' (${to.toISOString()})`,
    );
  }
  return { from, to };
}

function toApiPoint(point: StoredMetricPoint): DatabaseMetricPoint {
  const { at, ...figures } = point;
  return { at: at.toISOString(), ...figures };
}

/** A database's metrics for those who may read the database. */
export class MetricsService {
  constructor(
    private readonly inventory: InventoryStore,
    private readonly access: DatabaseAccess,
    private readonly store: MetricsStore,
  ) {}

  async metrics(
    ref: DatabaseRef,
    query: { from?: unknown; to?: unknown },
    credentials: BackstageCredentials,
  ): Promise<DatabaseMetricsResponse> {
    checkRef(ref);
    const now = new Date();
    const { from, to } = parseMetricsRange(query, now);
    await this.access.assertDatabase(
      dbaasDatabaseReadPermission,
      ref,
      credentials,
    );
    const record = await this.inventory.getDatabase(ref);
    if (!record) {
      throw new NotFoundError(
        `Database ${ref.namespace}/${ref.name} is not in the inventory`,
      );
    }
    const [series, last] = await Promise.all([
      this.store.series(record.databaseName, from, to, now),
      this.store.lastSamples([record.databaseName]),
    ]);
    const maxConnections = last.get(record.databaseName)?.maxConnections;
    return {
      resolution: series.resolution,
      from: from.toISOString(),
      to: to.toISOString(),
      ...(maxConnections ? { maxConnections } : {}),
      points: series.points.map(toApiPoint),
    };
  }
}
