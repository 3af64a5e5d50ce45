import { Knex } from 'knex';
import { BillingSettings, DEFAULT_BILLING_SETTINGS } from './BillingSettings';
import { ClusterHourSample } from './TenantCostAllocator';

/** Seeded PRNG (mulberry32), so random tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function settingsWith(
  overrides: Partial<BillingSettings['prices']> = {},
  allocation: Partial<BillingSettings['allocation']> = {},
): BillingSettings {
  return {
    currency: 'USD',
    prices: { ...DEFAULT_BILLING_SETTINGS.prices, ...overrides },
    allocation: { ...DEFAULT_BILLING_SETTINGS.allocation, ...allocation },
  };
}

/** Random hours of one cluster with `tenants` tenants of 1-3 databases. */
export function randomHours(options: {
  seed: number;
  cluster: string;
  tenants: number;
  hours: number;
  start: string;
  /** Share of hours where databases lack active time (proxy used). */
  proxyShare?: number;
}): ClusterHourSample[] {
  const rnd = seededRandom(options.seed);
  const dbs: Array<{ namespace: string; name: string }> = [];
  for (let t = 0; t < options.tenants; t++) {
    const count = 1 + Math.floor(rnd() * 3);
    for (let d = 0; d < count; d++) {
      dbs.push({ namespace: `tenant-${t}`, name: `db-${d}` });
    }
  }
  const start = new Date(options.start).getTime();
  const out: ClusterHourSample[] = [];
  for (let h = 0; h < options.hours; h++) {
    const proxy = rnd() < (options.proxyShare ?? 0);
    const idleHour = rnd() < 0.1;
    out.push({
      cluster: options.cluster,
      hourStart: new Date(start + h * 3_600_000),
      acu: Math.round(rnd() * 16 * 2) / 2,
      databases: dbs
        .filter(() => rnd() > 0.05)
        .map(db => {
          const active = idleHour || rnd() < 0.3 ? 0 : rnd() * 5000;
          return {
            ...db,
            sizeBytes: Math.floor(rnd() * 50 * 1024 ** 3),
            snapshotBytes: rnd() < 0.2 ? 0 : Math.floor(rnd() * 80 * 1024 ** 3),
            activeSeconds: proxy ? undefined : active,
            commits: proxy ? Math.floor(active) : undefined,
            rollbacks: proxy ? Math.floor(rnd() * 3) : undefined,
          };
        }),
    });
  }
  return out;
}

/** Empties the billing tables between tests (the hours' splits go with them). */
export async function clearBillingTables(knex: Knex): Promise<void> {
  await knex('dbaas_billing_hours').delete();
  await knex('dbaas_billing_daily_databases').delete();
  await knex('dbaas_billing_daily_clusters').delete();
  await knex('dbaas_billing_month_splits').delete();
}

/** A minimal RFC 4180 parser (quoted fields, CRLF), to check exports round-trip. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

/** CSV rows as objects keyed by the header's column names. */
export function parseCsvRecords(text: string): {
  header: string[];
  records: Record<string, string>[];
} {
  const [header, ...rows] = parseCsv(text);
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new Error(
        `CSV row has ${row.length} fields, the header ${
          header.length
        }: ${row.join(',')}`,
      );
    }
  }
  return {
    header,
    records: rows.map(row =>
      Object.fromEntries(header.map((column, i) => [column, row[i]])),
    ),
  };
}
