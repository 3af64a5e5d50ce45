import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { DatabaseDetail } from '@dbaas/plugin-dbaas-common';
import { readyDatabase } from '../testFixtures';
import { AboutCard } from './AboutCard';

async function renderCard(database: DatabaseDetail) {
  renderInTestApp(<AboutCard database={database} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  await screen.findByText('About');
}

/** The value under a label of the card. */
function field(label: string) {
  const term = screen.getByText(label, { selector: 'dt' });
  return term.nextElementSibling as HTMLElement;
}

describe('AboutCard', () => {
  it('describes a protected production database', async () => {
    await renderCard(readyDatabase());

    expect(field('Database name')).toHaveTextContent('payments-ledger');
    expect(field('Namespace')).toHaveTextContent('payments');
    expect(field('Mode')).toHaveTextContent(
      'protected — Deletion protection: removing it from the apps repository keeps the database and its data in the cluster (it becomes orphaned).',
    );
    expect(field('Cluster')).toHaveTextContent('prod-eu');
    expect(field('Environment')).toHaveTextContent('production');
    expect(field('Snapshot retention')).toHaveTextContent(
      '35 days (daily snapshots, production/staging)',
    );
    expect(screen.getByRole('link', { name: /payments/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(field('Apps repository folder')).toHaveTextContent(
      'apps/payments/ledger',
    );
    expect(field('Size')).toHaveTextContent('8.4 MiB');
  });

  it('says what removing a standard database does, and keeps 7 days of snapshots in dev', async () => {
    await renderCard(readyDatabase({ mode: 'standard', environment: 'dev' }));

    expect(field('Mode')).toHaveTextContent(
      'standard — Removing it from the apps repository drops the database, after a final snapshot.',
    );
    expect(field('Snapshot retention')).toHaveTextContent(
      '7 days (daily snapshots, test/dev)',
    );
  });

  it('says what a restored copy is instead of what removing it from the repository does', async () => {
    const restoredFrom = {
      restoreId: 'r1',
      source: {
        namespace: 'payments',
        name: 'ledger',
        databaseName: 'payments-ledger',
      },
      snapshotCreatedAt: '2026-03-04T02:00:00.000Z',
      state: 'expiring' as const,
      expiresAt: '2026-03-11T12:00:00.000Z',
    };
    await renderCard(
      readyDatabase({
        name: 'ledger-copy',
        databaseName: 'payments-ledger-copy',
        mode: 'standard',
        status: 'restored',
        folderPath: undefined,
        restoredFrom,
      }),
    );
    expect(field('Mode')).toHaveTextContent(
      /^standard — A restored copy, not in the apps repository: it is dropped with its roles and secrets at 11 Mar 2026, \d\d:\d\d unless someone keeps it/,
    );
    expect(field('Mode')).not.toHaveTextContent(/Removing it from the apps/);
  });

  it('says what is not known yet', async () => {
    await renderCard(
      readyDatabase({
        status: 'requested',
        cluster: undefined,
        environment: undefined,
        folderPath: undefined,
        sizeBytes: undefined,
        owners: [],
      }),
    );

    expect(field('Cluster')).toHaveTextContent('Not in a cluster yet');
    expect(field('Environment')).toHaveTextContent('Unknown');
    expect(field('Snapshot retention')).toHaveTextContent(
      'Daily snapshots; how long they are kept depends on the environment',
    );
    expect(field('Owners')).toHaveTextContent('None known');
    expect(field('Apps repository folder')).toHaveTextContent(
      'Not defined in the apps repository',
    );
    expect(field('Size')).toHaveTextContent('Unknown');
  });
});
