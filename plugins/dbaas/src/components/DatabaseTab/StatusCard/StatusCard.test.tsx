import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  DatabaseDetail,
  DatabaseStatus,
} from '@dbaas/plugin-dbaas-common';
import { HOUR, MINUTE, ago, readyDatabase } from '../testFixtures';
import { StatusCard } from './StatusCard';

function renderCard(database: DatabaseDetail, variant?: 'full' | 'summary') {
  return renderInTestApp(<StatusCard database={database} variant={variant} />);
}

function lifecycleSteps() {
  return within(screen.getByRole('list', { name: 'Lifecycle' })).getAllByRole(
    'listitem',
  );
}

/** A step's label and caption, without the number of its icon. */
function stepText(step: HTMLElement | undefined) {
  return step?.querySelector('.MuiStepLabel-labelContainer')?.textContent;
}

function currentStep() {
  return lifecycleSteps().find(
    step => step.getAttribute('aria-current') === 'step',
  );
}

describe('StatusCard', () => {
  it('shows the status, since when, the lifecycle, the pull requests and the history', async () => {
    const database = readyDatabase();
    await renderCard(database);

    const status = await screen.findByTestId('dbaas-status');
    expect(status).toHaveTextContent(/^ready$/);
    const statusLine = status.closest('div')!;
    expect(statusLine).toHaveTextContent(/^ready since 3 hours ago \(.+\)$/);
    expect(within(statusLine).getByText(/^3 hours ago/)).toHaveAttribute(
      'dateTime',
      database.statusSince,
    );
    expect(
      screen.getByText(
        'The database, its roles and their secrets exist: apps and people can connect.',
      ),
    ).toBeInTheDocument();

    expect(lifecycleSteps().map(stepText)).toEqual([
      'requested',
      'merged',
      'provisioning',
      'ready',
    ]);
    expect(stepText(currentStep())).toBe('ready');

    const pullRequests = screen.getByRole('list', { name: 'Pull requests' });
    expect(
      within(pullRequests).getByRole('link', { name: /^#12\b/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/apps/pull/12');
    expect(pullRequests).toHaveTextContent(/^#12.* create · merged/);
    expect(pullRequests).toHaveTextContent('updated 4 hours ago');

    const history = within(
      screen.getByRole('list', { name: 'History' }),
    ).getAllByRole('listitem');
    expect(history.map(entry => entry.textContent)).toEqual([
      expect.stringMatching(
        /^provisioning → ready3 hours ago \(.*\) — database, roles read\/write\/admin and schema ownership exist in cluster prod-eu$/,
      ),
      expect.stringMatching(/^merged → provisioning3 hours ago \(.*\)$/),
      expect.stringMatching(
        /^requested5 hours ago \(.*\) — pull request #12 \(https:\/\/github.com\/acme\/apps\/pull\/12\)$/,
      ),
    ]);

    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('status', { name: 'Status unknown' }),
    ).not.toBeInTheDocument();
  });

  it.each([
    ['requested', 'requested', []],
    ['merged', 'merged', ['requested']],
    ['provisioning', 'provisioning', ['requested', 'merged']],
    ['ready', 'ready', ['requested', 'merged', 'provisioning', 'ready']],
    ['failed', 'provisioningfailed', ['requested', 'merged']],
    ['abandoned', 'mergedabandoned', ['requested']],
    [
      'deletion-requested',
      'deletion-requested',
      ['requested', 'merged', 'provisioning', 'ready'],
    ],
    [
      'deleted',
      'deleted',
      [
        'requested',
        'merged',
        'provisioning',
        'ready',
        'deletion-requested',
        'deleted',
      ],
    ],
    [
      'orphaned',
      'orphanedstill in the cluster',
      [
        'requested',
        'merged',
        'provisioning',
        'ready',
        'removed from the repository',
      ],
    ],
  ] as Array<[DatabaseStatus, string, string[]]>)(
    'marks the current step of a %s database',
    async (status, current, done) => {
      await renderCard(readyDatabase({ status }));

      expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
        status,
      );
      expect(stepText(currentStep())).toBe(current);
      const completed = lifecycleSteps()
        .filter(step => step.querySelector('.MuiStepIcon-completed'))
        .map(stepText);
      expect(completed).toEqual(done);
    },
  );

  it('shows a failed database with its last error, on the step that failed', async () => {
    await renderCard(
      readyDatabase({
        status: 'failed',
        lastError: 'permission denied to create database',
      }),
    );

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      'failed',
    );
    const lastError = screen.getByRole('alert', { name: 'Last error' });
    expect(lastError).toHaveTextContent(
      'Last errorpermission denied to create database',
    );
    expect(stepText(currentStep())).toBe('provisioningfailed');
    expect(currentStep()?.querySelector('.Mui-error')).not.toBeNull();
  });

  it('says the status is unknown since when and why, keeping the last known status rather than failing', async () => {
    await renderCard(
      readyDatabase({
        unknownSince: ago(5 * MINUTE),
        unknownReason: 'connect ECONNREFUSED 10.0.0.1:5432',
      }),
    );

    const notice = await screen.findByRole('status', {
      name: 'Status unknown',
    });
    expect(notice).toHaveTextContent(
      /^Unknown since 5 minutes ago \(.*\): connect ECONNREFUSED 10\.0\.0\.1:5432/,
    );
    expect(notice).toHaveTextContent(
      'the status above is the last one known, not a failure',
    );
    expect(screen.getByTestId('dbaas-status')).toHaveTextContent(/^ready$/);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('explains an unmanaged database, which has no lifecycle', async () => {
    await renderCard(
      readyDatabase({
        status: 'unmanaged',
        pullRequests: [],
        history: [],
        folderPath: undefined,
      }),
    );

    expect(
      await screen.findByText(
        'This database is in the cluster but was never defined in the apps repository, so the suite does not manage it.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Lifecycle' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'No pull request of the portal is known for this database.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No status change recorded yet.'),
    ).toBeInTheDocument();
  });

  it('labels a restored copy with where and when it comes from, never as unmanaged', async () => {
    await renderCard(
      readyDatabase({
        status: 'restored',
        pullRequests: [],
        history: [],
        folderPath: undefined,
        restoredFrom: {
          restoreId: 'r1',
          source: {
            namespace: 'payments',
            name: 'orders',
            databaseName: 'payments-orders',
          },
          snapshotCreatedAt: '2026-03-04T02:00:00.000Z',
          state: 'expiring',
          expiresAt: '2026-03-11T12:00:00.000Z',
        },
      }),
    );
    expect(await screen.findByTestId('dbaas-restored-from')).toHaveTextContent(
      /^Restored from payments\/orders at 4 Mar 2026, \d\d:\d\d$/,
    );
    expect(
      screen.getByText(/A copy a restore created next to the original/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/never defined/)).not.toBeInTheDocument();
    expect(stepText(currentStep())).toBe('restoredcopy, not in the repository');
  });

  it('leaves out the pull requests and the history in the summary', async () => {
    await renderCard(readyDatabase({ statusSince: ago(2 * HOUR) }), 'summary');

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      'ready',
    );
    expect(screen.getByTestId('dbaas-status').closest('div')).toHaveTextContent(
      /^ready since 2 hours ago/,
    );
    expect(
      screen.queryByRole('list', { name: 'Pull requests' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'History' }),
    ).not.toBeInTheDocument();
  });
});
