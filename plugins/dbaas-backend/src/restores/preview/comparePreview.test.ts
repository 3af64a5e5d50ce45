import { comparePreview, summarizePreview } from './comparePreview';
import { CatalogTable } from './RestorePreviewStore';

const table = (
  name: string,
  rows: number | undefined,
  columns: Array<[string, string]> = [['id', 'integer']],
  extra: Partial<CatalogTable> = {},
): CatalogTable => ({
  schema: 'public',
  name,
  columns: columns.map(([n, type]) => ({ name: n, type })),
  ...(rows === undefined ? {} : { rows }),
  ...extra,
});

describe('comparePreview', () => {
  it('tells per table what the swap changes, the differing tables first', () => {
    const { tables, totals } = comparePreview(
      [
        table('same', 3),
        table('orders', 10, [
          ['id', 'integer'],
          ['note', 'text'],
          ['amount', 'numeric(10,2)'],
        ]),
        table('legacy', 2),
      ],
      [
        table('same', 3),
        table('orders', 12, [
          ['id', 'integer'],
          ['amount', 'numeric(12,2)'],
          ['coupon', 'text'],
        ]),
        table('audit', 4),
      ],
    );
    expect(tables).toEqual([
      {
        schema: 'public',
        name: 'audit',
        presence: 'added-since-snapshot',
        rowsNow: 4,
        columnsAddedSince: [],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
      {
        schema: 'public',
        name: 'legacy',
        presence: 'dropped-since-snapshot',
        rowsAtSnapshot: 2,
        columnsAddedSince: [],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
      {
        schema: 'public',
        name: 'orders',
        presence: 'in-both',
        rowsAtSnapshot: 10,
        rowsNow: 12,
        columnsAddedSince: ['coupon'],
        columnsDroppedSince: ['note'],
        columnsRetyped: [
          {
            name: 'amount',
            typeAtSnapshot: 'numeric(10,2)',
            typeNow: 'numeric(12,2)',
          },
        ],
      },
      {
        schema: 'public',
        name: 'same',
        presence: 'in-both',
        rowsAtSnapshot: 3,
        rowsNow: 3,
        columnsAddedSince: [],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
    ]);
    expect(totals).toEqual({
      rowsAtSnapshot: 15,
      rowsNow: 19,
      tablesAddedSince: 1,
      tablesDroppedSince: 1,
      tablesWithOtherRowCounts: 1,
      columnsAddedSince: 1,
      columnsDroppedSince: 1,
    });
    expect(summarizePreview({ tables, totals })).toBe(
      '4 table(s); 15 row(s) at the snapshot, 19 now; 1 table(s) with other row counts now; 1 table(s) added since the snapshot, gone after the swap (public.audit); 1 table(s) dropped since the snapshot, back after the swap (public.legacy); columns: 1 added and 1 dropped since the snapshot',
    );
  });

  it('leaves the total of rows now out when a live table was not counted, and says why per table', () => {
    const { tables, totals } = comparePreview(
      [table('busy', 5), table('calm', 1)],
      [
        table('busy', undefined, undefined, {
          error: 'not counted: the table was locked (e.g. by a schema change)',
        }),
        table('calm', 1),
      ],
    );
    expect(tables[0]).toMatchObject({
      name: 'busy',
      rowsAtSnapshot: 5,
      rowsNowError:
        'not counted: the table was locked (e.g. by a schema change)',
    });
    expect(tables[0].rowsNow).toBeUndefined();
    expect(totals.rowsNow).toBeUndefined();
    expect(totals.tablesWithOtherRowCounts).toBe(0);
    expect(summarizePreview({ tables, totals })).toBe(
      '2 table(s); 6 row(s) at the snapshot, not all counted now',
    );
  });

  it('counts a partitioned table through its partitions only, and tells tables of other schemas apart', () => {
    const parent = table('events', undefined, undefined, { partitioned: true });
    const { tables, totals } = comparePreview(
      [
        parent,
        table('events_2026', 7),
        { ...table('events', 1), schema: 'app' },
      ],
      [
        parent,
        table('events_2026', 9),
        { ...table('events', 1), schema: 'app' },
      ],
    );
    expect(tables.map(t => [t.schema, t.name, t.partitioned ?? false])).toEqual(
      [
        ['public', 'events_2026', false],
        ['app', 'events', false],
        ['public', 'events', true],
      ],
    );
    expect(totals).toMatchObject({ rowsAtSnapshot: 8, rowsNow: 10 });
  });
});
