import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  DatabaseRecoveryResponse,
  RestoreDrill,
} from '@dbaas/plugin-dbaas-common';
import type { DbaasApi } from '../../../api/DbaasApi';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { formatAbsoluteTime } from '../../common/formatTime';
import { ago, HOUR, responseError } from '../testFixtures';
import { RecoveryCard } from './RecoveryCard';

function recovery(
  overrides: Partial<DatabaseRecoveryResponse> = {},
): DatabaseRecoveryResponse {
  return {
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    cluster: 'prod-eu',
    environment: 'production',
    mode: 'protected',
    rpo: {
      targetSeconds: 25 * 3600,
      status: 'met',
      recoveryPointAt: ago(3 * HOUR),
      source: 'snapshot',
      snapshotId: 'snap-1',
      ageSeconds: 3 * 3600,
      evaluatedAt: ago(60_000),
    },
    rto: {
      targetSeconds: 4 * 3600,
      status: 'met',
      estimateSeconds: 42,
      basis: {
        scope: 'database',
        runs: 1,
        newestRunAt: ago(5 * HOUR),
        method: '90th percentile of 1 drill of this database',
      },
    },
    drills: [],
    ...overrides,
  };
}

function drill(overrides: Partial<RestoreDrill> = {}): RestoreDrill {
  return {
    id: 'd-1',
    state: 'passed',
    snapshotId: 'snap-1',
    snapshotCreatedAt: ago(8 * HOUR),
    snapshotSizeBytes: 5 * 2 ** 20,
    startedAt: ago(5 * HOUR),
    finishedAt: ago(5 * HOUR - 42_000),
    durationSeconds: 42,
    restoredSizeBytes: 9 * 2 ** 20,
    verification: '3 tables, 2000 rows as in the snapshot',
    ...overrides,
  };
}

function renderCard(getRecovery: DbaasApi['getRecovery']) {
  const api = { getRecovery: jest.fn(getRecovery) };
  renderInTestApp(
    <RecoveryCard databaseRef={{ namespace: 'payments', name: 'ledger' }} />,
    { apis: [[dbaasApiRef, api]] },
  );
  return api;
}

const group = (name: string) => screen.findByRole('group', { name });

describe('RecoveryCard', () => {
  it('shows both objectives met and the last drill that passed, with its time', async () => {
    const passed = drill();
    const api = renderCard(async () => recovery({ drills: [passed] }));

    const rpo = await group('Recovery point objective');
    expect(within(rpo).getByTestId('dbaas-objective-status')).toHaveTextContent(
      'met',
    );
    expect(rpo).toHaveTextContent(
      'At most 1 d 1 h of data lost. Restorable to 3 hours ago',
    );
    expect(rpo).toHaveTextContent('the newest available snapshot (3 h old).');
    const rto = await group('Recovery time objective');
    expect(rto).toHaveTextContent(
      'Restored within 4 h. Measured: 42 s (90th percentile of 1 drill of this database).',
    );
    expect(screen.getByTestId('dbaas-last-drill')).toHaveTextContent(
      `Last drill passed on ${formatAbsoluteTime(
        passed.finishedAt!,
      )}, took 42 s`,
    );
    const rows = within(screen.getByRole('table', { name: 'Restore drills' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('passed42 s');
    expect(rows[0]).toHaveTextContent(
      '(5.0 MiB)3 tables, 2000 rows as in the snapshot',
    );
    expect(
      screen.getByText('For production protected databases'),
    ).toBeInTheDocument();
    expect(api.getRecovery).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      { signal: expect.any(AbortSignal) },
    );
  });

  it('shows a missed RPO since when, and a failed drill with its reason', async () => {
    const failed = drill({
      id: 'd-2',
      state: 'failed',
      durationSeconds: undefined,
      verification: undefined,
      error: 'snapshot snap-1 does not match its sha256 checksum',
    });
    renderCard(async () =>
      recovery({
        rpo: {
          targetSeconds: 3600,
          status: 'missed',
          recoveryPointAt: ago(30 * HOUR),
          source: 'restorable-time',
          ageSeconds: 30 * 3600,
          missedSince: ago(29 * HOUR),
        },
        rto: {
          targetSeconds: 4 * 3600,
          status: 'missed',
          reason: `the drill of ${failed.finishedAt} failed: ${failed.error}`,
        },
        drills: [failed, drill()],
      }),
    );
    const rpo = await group('Recovery point objective');
    expect(within(rpo).getByTestId('dbaas-objective-status')).toHaveTextContent(
      'missed',
    );
    expect(rpo).toHaveTextContent(
      "the cluster's latest restorable time (1 d 6 h old)",
    );
    expect(rpo).toHaveTextContent('Missed since yesterday');
    const rto = await group('Recovery time objective');
    expect(within(rto).getByTestId('dbaas-objective-status')).toHaveTextContent(
      'missed',
    );
    expect(rto).toHaveTextContent('failed: snapshot snap-1 does not match');
    expect(screen.getByTestId('dbaas-last-drill')).toHaveTextContent(
      `Last drill failed on ${formatAbsoluteTime(
        failed.finishedAt!,
      )}: snapshot snap-1 does not match its sha256 checksum`,
    );
    expect(
      within(
        screen.getByRole('table', { name: 'Restore drills' }),
      ).getAllByRole('row'),
    ).toHaveLength(3);
  });

  it('says why a database is not drilled and what is not known yet', async () => {
    renderCard(async () =>
      recovery({
        cluster: 'aurora-eu',
        mode: 'standard',
        rpo: {
          targetSeconds: 25 * 3600,
          status: 'unknown',
          reason: 'not evaluated yet',
        },
        rto: {
          targetSeconds: 4 * 3600,
          status: 'unknown',
          reason:
            'no restore or drill of this database or its cluster measured yet',
        },
        drillsUnavailable:
          "cluster 'aurora-eu' is an Aurora cluster: drills of cluster snapshots need a temporary cluster and are not run",
      }),
    );
    const rpo = await group('Recovery point objective');
    expect(rpo).toHaveTextContent('unknown');
    expect(rpo).toHaveTextContent('not evaluated yet');
    expect(await group('Recovery time objective')).toHaveTextContent(
      'no restore or drill of this database or its cluster measured yet',
    );
    expect(screen.getByTestId('dbaas-last-drill')).toHaveTextContent(
      "cluster 'aurora-eu' is an Aurora cluster",
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says why it could not load, and loads again on retry', async () => {
    let calls = 0;
    renderCard(async () => {
      calls += 1;
      if (calls === 1) {
        throw await responseError(
          403,
          'Forbidden',
          'You may not see payments/ledger',
        );
      }
      return recovery();
    });
    expect(
      await screen.findByText(
        'Could not load the recovery objectives: You may not see payments/ledger',
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await group('Recovery point objective')).toBeInTheDocument();
  });
});
