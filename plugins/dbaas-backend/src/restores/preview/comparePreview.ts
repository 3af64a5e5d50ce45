import {
  RestorePreview,
  RestorePreviewTable,
} from '@dbaas/plugin-dbaas-common';
import { CatalogTable } from './RestorePreviewStore';

const keyOf = (t: { schema: string; name: string }) =>
  JSON.stringify([t.schema, t.name]);

/**
 * Per table, the restored copy (the snapshot's content) against the live
 * database: which tables and columns were added or dropped since the
 * snapshot, and the exact rows on both sides. Tables with a difference
 * come first. Pure: both sides are what was counted.
 */
export function comparePreview(
  snapshot: CatalogTable[],
  live: CatalogTable[],
): Pick<RestorePreview, 'tables' | 'totals'> {
  const atSnapshot = new Map(snapshot.map(t => [keyOf(t), t]));
  const now = new Map(live.map(t => [keyOf(t), t]));
  const keys = [...new Set([...atSnapshot.keys(), ...now.keys()])];
  const tables = keys.map(key =>
    compareTable(atSnapshot.get(key), now.get(key)),
  );
  tables.sort(
    (a, b) =>
      Number(hasDifference(b)) - Number(hasDifference(a)) ||
      a.schema.localeCompare(b.schema) ||
      a.name.localeCompare(b.name),
  );

  const counted = tables.filter(t => !t.partitioned);
  const sum = (values: Array<number | undefined>) =>
    values.reduce<number>((total, n) => total + (n ?? 0), 0);
  const liveCounted = counted.filter(
    t => t.presence !== 'dropped-since-snapshot',
  );
  return {
    tables,
    totals: {
      rowsAtSnapshot: sum(counted.map(t => t.rowsAtSnapshot)),
      ...(liveCounted.every(t => t.rowsNow !== undefined)
        ? { rowsNow: sum(liveCounted.map(t => t.rowsNow)) }
        : {}),
      tablesAddedSince: tables.filter(
        t => t.presence === 'added-since-snapshot',
      ).length,
      tablesDroppedSince: tables.filter(
        t => t.presence === 'dropped-since-snapshot',
      ).length,
      tablesWithOtherRowCounts: counted.filter(
        t =>
          t.presence === 'in-both' &&
          t.rowsAtSnapshot !== undefined &&
          t.rowsNow !== undefined &&
          t.rowsAtSnapshot !== t.rowsNow,
      ).length,
      columnsAddedSince: sum(tables.map(t => t.columnsAddedSince.length)),
      columnsDroppedSince: sum(tables.map(t => t.columnsDroppedSince.length)),
    },
  };
}

function compareTable(
  atSnapshot: CatalogTable | undefined,
  now: CatalogTable | undefined,
): RestorePreviewTable {
  const either = (atSnapshot ?? now)!;
  const table: RestorePreviewTable = {
    schema: either.schema,
    name: either.name,
    presence: presenceOf(atSnapshot, now),
    columnsAddedSince: [],
    columnsDroppedSince: [],
    columnsRetyped: [],
  };
  if (atSnapshot?.partitioned || now?.partitioned) {
    table.partitioned = true;
  }
  if (atSnapshot?.rows !== undefined) {
    table.rowsAtSnapshot = atSnapshot.rows;
  }
  if (now?.rows !== undefined) {
    table.rowsNow = now.rows;
  } else if (now?.error) {
    table.rowsNowError = now.error;
  }
  if (atSnapshot && now) {
    const before = new Map(atSnapshot.columns.map(c => [c.name, c.type]));
    const after = new Map(now.columns.map(c => [c.name, c.type]));
    table.columnsAddedSince = now.columns
      .filter(c => !before.has(c.name))
      .map(c => c.name);
    table.columnsDroppedSince = atSnapshot.columns
      .filter(c => !after.has(c.name))
      .map(c => c.name);
    table.columnsRetyped = atSnapshot.columns.flatMap(c => {
      const typeNow = after.get(c.name);
      return typeNow !== undefined && typeNow !== c.type
        ? [{ name: c.name, typeAtSnapshot: c.type, typeNow }]
        : [];
    });
  }
  return table;
}

function presenceOf(
  atSnapshot: CatalogTable | undefined,
  now: CatalogTable | undefined,
): RestorePreviewTable['presence'] {
  if (atSnapshot && now) {
    return 'in-both';
  }
  return atSnapshot ? 'dropped-since-snapshot' : 'added-since-snapshot';
}

/** Whether the swap changes anything about this table (as far as counted). */
export function hasDifference(table: RestorePreviewTable): boolean {
  return (
    table.presence !== 'in-both' ||
    table.rowsNowError !== undefined ||
    table.rowsAtSnapshot !== table.rowsNow ||
    table.columnsAddedSince.length > 0 ||
    table.columnsDroppedSince.length > 0 ||
    table.columnsRetyped.length > 0
  );
}

/** One line for the step log and the notification. */
export function summarizePreview(
  preview: Pick<RestorePreview, 'tables' | 'totals'>,
): string {
  const { totals, tables } = preview;
  const names = (presence: RestorePreviewTable['presence']) =>
    tables
      .filter(t => t.presence === presence)
      .slice(0, 5)
      .map(t => `${t.schema}.${t.name}`)
      .join(', ');
  const parts = [
    `${tables.length} table(s); ${
      totals.rowsAtSnapshot
    } row(s) at the snapshot, ${totals.rowsNow ?? 'not all counted'} now`,
  ];
  if (totals.tablesWithOtherRowCounts > 0) {
    parts.push(
      `${totals.tablesWithOtherRowCounts} table(s) with other row counts now`,
    );
  }
  if (totals.tablesAddedSince > 0) {
    parts.push(
      `${
        totals.tablesAddedSince
      } table(s) added since the snapshot, gone after the swap (${names(
        'added-since-snapshot',
      )})`,
    );
  }
  if (totals.tablesDroppedSince > 0) {
    parts.push(
      `${
        totals.tablesDroppedSince
      } table(s) dropped since the snapshot, back after the swap (${names(
        'dropped-since-snapshot',
      )})`,
    );
  }
  if (totals.columnsAddedSince + totals.columnsDroppedSince > 0) {
    parts.push(
      `columns: ${totals.columnsAddedSince} added and ${totals.columnsDroppedSince} dropped since the snapshot`,
    );
  }
  return parts.join('; ');
}
