import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseSnapshotStore } from '../DatabaseSnapshotStore';
import { migrated } from '../__testUtils__/testCluster';
import { DatabaseSnapshotEvidenceStore } from './DatabaseSnapshotEvidenceStore';
import { FINGERPRINT_ALGORITHM, SnapshotEvidence } from './SnapshotEvidence';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const EVIDENCE: SnapshotEvidence = {
  fingerprint: FINGERPRINT_ALGORITHM,
  tables: [
    { schema: 'public', name: 'orders', rows: 3, fingerprint: '-12' },
    { schema: 'sales', name: 'empty', rows: 0, fingerprint: '0' },
  ],
};

describe('DatabaseSnapshotEvidenceStore', () => {
  let knex: Knex;
  let snapshots: DatabaseSnapshotStore;
  let evidence: DatabaseSnapshotEvidenceStore;
  let n = 0;

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
    snapshots = new DatabaseSnapshotStore(knex);
    evidence = new DatabaseSnapshotEvidenceStore(knex);
  });

  async function begin(): Promise<string> {
    n += 1;
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const createdAt = new Date('2026-12-11T02:00:00Z');
    await snapshots.begin({
      id,
      cluster: 'local',
      databaseName: `ns-db${n}`,
      namespace: 'ns',
      name: `db${n}`,
      type: 'on-demand',
      createdAt,
      expiresAt: new Date('2026-12-18T02:00:00Z'),
    });
    return id;
  }

  const result = {
    sizeBytes: 10,
    checksum: 'sha256:00',
    engineVersion: '15.8',
    completedAt: new Date('2026-12-11T02:01:00Z'),
  };

  it('records the evidence with the completed snapshot and reads it back', async () => {
    const id = await begin();
    await expect(
      snapshots.complete(id, { ...result, evidence: EVIDENCE }),
    ).resolves.toBe(true);
    await expect(evidence.get(id)).resolves.toEqual(EVIDENCE);
    const row = await knex('dbaas_snapshot_evidence')
      .where({ snapshot_id: id })
      .first();
    expect(row.table_count).toBe(2);
    expect(new Date(row.taken_at).toISOString()).toBe(
      '2026-12-11T02:00:00.000Z',
    );
  });

  it('has none for a snapshot completed without evidence, or an unknown id', async () => {
    const id = await begin();
    await snapshots.complete(id, result);
    await expect(evidence.get(id)).resolves.toBeUndefined();
    await expect(
      evidence.get('00000000-0000-4000-8000-999999999999'),
    ).resolves.toBeUndefined();
  });

  it('reads rows-only evidence without fingerprints', async () => {
    const id = await begin();
    const rowsOnly = {
      tables: [{ schema: 'public', name: 'orders', rows: 7 }],
    };
    await snapshots.complete(id, { ...result, evidence: rowsOnly });
    await expect(evidence.get(id)).resolves.toEqual(rowsOnly);
  });

  it('writes nothing when the snapshot was no longer creating (taken over as abandoned)', async () => {
    const id = await begin();
    await snapshots.fail(id, 'abandoned', new Date());
    await expect(
      snapshots.complete(id, { ...result, evidence: EVIDENCE }),
    ).resolves.toBe(false);
    await expect(evidence.get(id)).resolves.toBeUndefined();
  });

  it('leaves the snapshot creating when the evidence cannot be written (one transaction)', async () => {
    const id = await begin();
    // A row already there makes the insert fail after the update.
    await knex('dbaas_snapshot_evidence').insert({
      snapshot_id: id,
      table_count: 0,
      tables: '[]',
      taken_at: new Date(),
    });
    await expect(
      snapshots.complete(id, { ...result, evidence: EVIDENCE }),
    ).rejects.toThrow(/duplicate key/);
    expect((await snapshots.get(id))?.status).toBe('creating');
  });

  it('is removed with its snapshot', async () => {
    const id = await begin();
    await snapshots.complete(id, { ...result, evidence: EVIDENCE });
    await snapshots.markDeleted(id, new Date());
    await snapshots.purge([id]);
    await expect(evidence.get(id)).resolves.toBeUndefined();
  });
});
