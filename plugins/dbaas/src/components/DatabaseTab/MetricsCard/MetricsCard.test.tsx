import { useLocation } from 'react-router-dom';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { DatabaseMetricsResponse } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { HOUR, mockDbaasApi, pending, responseError } from '../testFixtures';
import { MetricsCard } from './MetricsCard';

const LocationDisplay = () => (
  <div data-testid="location">{useLocation().search}</div>
);

function renderCard(dbaasApi: ReturnType<typeof mockDbaasApi>, url = '/') {
  return renderInTestApp(
    <>
      <MetricsCard databaseRef={{ namespace: 'payments', name: 'ledger' }} />
      <LocationDisplay />
    </>,
    {
      apis: [[dbaasApiRef, dbaasApi]],
      initialRouteEntries: [url],
    },
  );
}

function metrics(
  overrides: Partial<DatabaseMetricsResponse> = {},
): DatabaseMetricsResponse {
  return {
    resolution: 'hour',
    from: '2025-03-01T00:00:00.000Z',
    to: '2025-03-08T00:00:00.000Z',
    maxConnections: 100,
    points: [
      {
        at: '2025-03-01T00:00:00.000Z',
        sizeBytes: 8_808_038,
        connections: 4,
        commitsPerSecond: 12.5,
        rollbacksPerSecond: 0.1,
        cacheHitRatio: 0.99,
        samples: 60,
      },
      {
        at: '2025-03-01T01:00:00.000Z',
        sizeBytes: 8_900_000,
        connections: 6,
        commitsPerSecond: 14,
        rollbacksPerSecond: 0,
        cacheHitRatio: 0.98,
        samples: 60,
      },
    ],
    ...overrides,
  };
}

/** The window, in ms, of the last call to getDatabaseMetrics. */
function lastWindow(dbaasApi: ReturnType<typeof mockDbaasApi>) {
  const [ref, options] = dbaasApi.getDatabaseMetrics.mock.lastCall!;
  return {
    ref,
    spanMs: options!.to!.getTime() - options!.from!.getTime(),
    toAgeMs: Date.now() - options!.to!.getTime(),
    signal: options!.signal,
  };
}

// recharts' ResponsiveContainer observes its size; jsdom has no ResizeObserver.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

describe('MetricsCard', () => {
  const original = global.ResizeObserver;
  beforeAll(() => {
    global.ResizeObserver = NoopResizeObserver as typeof ResizeObserver;
  });
  afterAll(() => {
    global.ResizeObserver = original;
  });

  it('shows that it is loading, and asks for the last 24 hours by default', async () => {
    const dbaasApi = mockDbaasApi();
    renderCard(dbaasApi);

    expect(
      await screen.findByRole('progressbar', { name: 'Loading metrics' }),
    ).toBeInTheDocument();
    const window = lastWindow(dbaasApi);
    expect(window.ref).toEqual({ namespace: 'payments', name: 'ledger' });
    expect(window.spanMs).toBe(24 * HOUR);
    expect(window.toAgeMs).toBeLessThan(60_000);
    expect(window.signal).toBeInstanceOf(AbortSignal);
    expect(screen.getByRole('button', { name: '24 h' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('draws the four charts and says which resolution it used', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(metrics());
    renderCard(dbaasApi);

    expect(
      await screen.findByText('Resolution: hourly averages (2 points)'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Collecting since/)).not.toBeInTheDocument();
    for (const title of [
      'Size',
      'Connections',
      'Transactions/s',
      'Cache hit ratio',
    ]) {
      expect(screen.getByRole('figure', { name: title })).toBeInTheDocument();
    }
    expect(
      screen.getByText(
        'Cache hit ratio = blocks hit / (hit + read) over each interval between samples, averaged over each hour.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Client connections to the database, averaged over each hour; dashed line: max_connections of the cluster.',
      ),
    ).toBeInTheDocument();
  });

  it('says since when it collects when the samples cover only the end of the range', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(
      metrics({
        resolution: 'raw',
        points: [
          { at: '2025-03-07T23:48:00.000Z', connections: 1, samples: 1 },
          { at: '2025-03-07T23:49:00.000Z', connections: 2, samples: 1 },
        ],
      }),
    );
    renderCard(dbaasApi);

    const line = await screen.findByText(
      /^Resolution: raw samples \(2 points\)/,
    );
    expect(line).toHaveTextContent(
      `Collecting since ${new Date('2025-03-07T23:48:00.000Z').toLocaleString(
        undefined,
        { dateStyle: 'medium', timeStyle: 'short' },
      )}: the charts start at the first sample and fill the range as samples arrive.`,
    );
  });

  it('names raw samples and leaves out the max_connections line when unknown', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(
      metrics({ resolution: 'raw', maxConnections: undefined }),
    );
    renderCard(dbaasApi);

    expect(
      await screen.findByText('Resolution: raw samples (2 points)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Client connections to the database, at each sample.'),
    ).toBeInTheDocument();
  });

  it('switches to 7 days: asks for a 7-day window and puts it in the URL', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(metrics());
    renderCard(dbaasApi, '/?database=payments%2Fledger');
    await screen.findByText('Resolution: hourly averages (2 points)');

    fireEvent.click(screen.getByRole('button', { name: '7 d' }));

    await waitFor(() =>
      expect(dbaasApi.getDatabaseMetrics).toHaveBeenCalledTimes(2),
    );
    expect(lastWindow(dbaasApi).spanMs).toBe(7 * 24 * HOUR);
    const search = new URLSearchParams(
      screen.getByTestId('location').textContent!,
    );
    expect(search.get('metricsRange')).toBe('7d');
    expect(search.get('database')).toBe('payments/ledger');
    expect(screen.getByRole('button', { name: '7 d' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('reads the range from the URL', async () => {
    const dbaasApi = mockDbaasApi();
    renderCard(dbaasApi, '/?metricsRange=30d');

    await waitFor(() => expect(dbaasApi.getDatabaseMetrics).toHaveBeenCalled());
    expect(lastWindow(dbaasApi).spanMs).toBe(30 * 24 * HOUR);
  });

  it('says when there are no samples yet', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(metrics({ points: [] }));
    renderCard(dbaasApi);

    expect(
      await screen.findByText(
        'No samples yet: the first arrive within a minute of the database being ready.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it('links to the Grafana dashboard of the database when one is configured', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(metrics({ points: [] }));
    await renderInTestApp(
      <MetricsCard
        databaseRef={{ namespace: 'payments', name: 'ledger' }}
        cluster="prod-eu"
      />,
      {
        apis: [[dbaasApiRef, dbaasApi]],
        config: {
          dbaas: {
            metrics: {
              grafanaUrl:
                'https://grafana.example.com/d/pg?var-cluster={cluster}&var-datname={database}',
            },
          },
        },
      },
    );

    expect(
      await screen.findByRole('link', { name: /Open in Grafana/ }),
    ).toHaveAttribute(
      'href',
      'https://grafana.example.com/d/pg?var-cluster=prod-eu&var-datname=payments-ledger',
    );
  });

  it('has no Grafana link without dbaas.metrics.grafanaUrl', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockResolvedValue(metrics({ points: [] }));
    await renderCard(dbaasApi);

    await screen.findByText(/No samples yet/);
    expect(
      screen.queryByRole('link', { name: /Open in Grafana/ }),
    ).not.toBeInTheDocument();
  });

  it('says why when the user may not read the metrics', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics.mockRejectedValue(
      await responseError(403, 'Forbidden', 'Unauthorized'),
    );
    renderCard(dbaasApi);

    expect(
      await screen.findByText(/You may not see the metrics of this database/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('shows other errors and retries', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabaseMetrics
      .mockRejectedValueOnce(
        await responseError(500, 'Internal Server Error', 'metrics store down'),
      )
      .mockReturnValue(pending());
    renderCard(dbaasApi);

    expect(
      await screen.findByText(/Could not load the metrics: metrics store down/),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(
      await screen.findByRole('progressbar', { name: 'Loading metrics' }),
    ).toBeInTheDocument();
    expect(dbaasApi.getDatabaseMetrics).toHaveBeenCalledTimes(2);
  });
});
