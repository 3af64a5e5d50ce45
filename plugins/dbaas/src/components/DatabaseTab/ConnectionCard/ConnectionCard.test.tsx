import { useLocation } from 'react-router-dom';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  ConnectionInfo,
  DatabaseStatus,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import {
  connectionInfo,
  mockDbaasApi,
  pending,
  responseError,
} from '../testFixtures';
import { ConnectionCard } from './ConnectionCard';

/** Shows the query string, to check what a link to the snippet holds. */
const LocationDisplay = () => (
  <div data-testid="location">{useLocation().search}</div>
);

function renderCard(
  dbaasApi: ReturnType<typeof mockDbaasApi>,
  options: { url?: string; status?: DatabaseStatus } = {},
) {
  return renderInTestApp(
    <>
      <ConnectionCard
        databaseRef={{ namespace: 'payments', name: 'ledger' }}
        status={options.status ?? 'ready'}
      />
      <LocationDisplay />
    </>,
    {
      apis: [[dbaasApiRef, dbaasApi]],
      initialRouteEntries: [options.url ?? '/'],
    },
  );
}

function withConnection(info: ConnectionInfo) {
  const dbaasApi = mockDbaasApi();
  dbaasApi.getConnectionInfo.mockResolvedValue(info);
  return dbaasApi;
}

/** The text of a snippet's code block, once highlighted. */
async function snippetText(testId: string) {
  const block = await screen.findByTestId(testId);
  await waitFor(() => expect(block.textContent).not.toBe(''));
  return block.textContent;
}

function search() {
  return new URLSearchParams(screen.getByTestId('location').textContent!);
}

describe('ConnectionCard', () => {
  it('shows that it is loading', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getConnectionInfo.mockReturnValue(pending());
    renderCard(dbaasApi);

    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading connection details',
      }),
    ).toBeInTheDocument();
    expect(dbaasApi.getConnectionInfo).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      { signal: expect.any(AbortSignal) },
    );
  });

  it('defaults to the write role, the configured sslmode and psql', async () => {
    renderCard(withConnection(connectionInfo()));

    expect(await screen.findByRole('radio', { name: 'write' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'require' })).toBeChecked();
    expect(
      screen.getByRole('tab', { name: 'psql', selected: true }),
    ).toBeInTheDocument();
    expect(await snippetText('dbaas-snippet-psql')).toBe(
      'psql "host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-write sslmode=require"',
    );
    const facts = screen.getByLabelText('Connection facts');
    expect(facts).toHaveTextContent('User' + 'payments-ledger-write');
    expect(facts).toHaveTextContent(
      'Kubernetes Secret' + 'payments/payments-ledger-write',
    );
    expect(facts).toHaveTextContent(
      'Secret manager path' + 'customer/payments/payments-ledger-write',
    );
  });

  it('gives the Kubernetes env reading the Secret of the role', async () => {
    renderCard(withConnection(connectionInfo()), {
      url: '/?format=kubernetes',
    });

    expect(
      await screen.findByRole('tab', {
        name: 'Kubernetes env',
        selected: true,
      }),
    ).toBeInTheDocument();
    const env = await snippetText('dbaas-snippet-kubernetes');
    expect(env).toContain(
      '  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: payments-ledger-write\n        key: password',
    );
    expect(
      screen.getByRole('button', { name: 'Copy Kubernetes env snippet' }),
    ).toBeInTheDocument();
  });

  it('gives the psql line a user pastes, with the password left to PGPASSWORD', async () => {
    renderCard(withConnection(connectionInfo()), { url: '/?format=psql' });

    expect(await snippetText('dbaas-snippet-psql')).toBe(
      'psql "host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-write sslmode=require"',
    );
    expect(
      screen.queryByTestId('dbaas-snippet-psql-setup'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(/^psql reads the password from PGPASSWORD/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy psql snippet' }),
    ).toBeInTheDocument();
  });

  it('puts the port-forward first when the cluster needs one', async () => {
    renderCard(
      withConnection(
        connectionInfo({
          portForwardCommand:
            'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432',
          localHost: 'localhost',
          localPort: 5432,
        }),
      ),
      { url: '/?format=psql' },
    );

    expect(await snippetText('dbaas-snippet-psql-setup')).toBe(
      'kubectl port-forward -n rds-proxy svc/rds-proxy-idp-rds-proxy 5432:5432',
    );
    expect(await snippetText('dbaas-snippet-psql')).toBe(
      'psql "host=localhost port=5432 dbname=payments-ledger user=payments-ledger-write sslmode=require"',
    );
  });

  it('keeps role, sslmode and format in the URL as they are chosen', async () => {
    renderCard(withConnection(connectionInfo()));

    fireEvent.click(await screen.findByRole('tab', { name: 'JDBC' }));
    fireEvent.click(screen.getByRole('tab', { name: 'psql' }));
    fireEvent.click(screen.getByRole('radio', { name: 'read' }));
    fireEvent.click(screen.getByRole('radio', { name: 'verify-full' }));

    expect(await snippetText('dbaas-snippet-psql')).toBe(
      'psql "host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-read sslmode=verify-full sslrootcert=rds-ca.pem"',
    );
    expect(Object.fromEntries(search())).toEqual({
      format: 'psql',
      role: 'read',
      sslmode: 'verify-full',
    });
    expect(
      screen.getByText(
        "rds-ca.pem stands for the CA bundle of the cluster's certificate; for Aurora, download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem.",
      ),
    ).toBeInTheDocument();
  });

  it('opens on the snippet a link names', async () => {
    renderCard(withConnection(connectionInfo()), {
      url: '/?role=admin&sslmode=verify-full&format=go',
    });

    expect(await screen.findByRole('radio', { name: 'admin' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'verify-full' })).toBeChecked();
    expect(
      screen.getByRole('tab', { name: 'Go (pgx)', selected: true }),
    ).toBeInTheDocument();
    expect(await snippetText('dbaas-snippet-go')).toContain(
      'pgx.ParseConfig("host=127.0.0.1 port=55432 dbname=payments-ledger user=payments-ledger-admin sslmode=verify-full sslrootcert=rds-ca.pem")',
    );
  });

  it('falls back to the defaults for values it does not know', async () => {
    renderCard(withConnection(connectionInfo()), {
      url: '/?role=superuser&sslmode=disable&format=cobol',
    });

    expect(await screen.findByRole('radio', { name: 'write' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'require' })).toBeChecked();
    expect(
      screen.getByRole('tab', { name: 'psql', selected: true }),
    ).toBeInTheDocument();
  });

  it('starts on the sslmode the platform configured', async () => {
    const info = connectionInfo();
    renderCard(
      withConnection({
        ...info,
        roles: info.roles.map(role => ({ ...role, sslmode: 'verify-full' })),
      }),
    );

    expect(
      await screen.findByRole('radio', { name: 'verify-full' }),
    ).toBeChecked();
  });

  it('offers every format as a tab, and a snippet for each', async () => {
    renderCard(withConnection(connectionInfo()));

    const tabs = within(
      await screen.findByRole('tablist', { name: 'Snippet format' }),
    ).getAllByRole('tab');
    expect(tabs.map(tab => tab.textContent)).toEqual([
      'psql',
      'Kubernetes env',
      'ExternalSecret',
      'URI',
      'JDBC',
      'Node.js (pg)',
      'Python (psycopg)',
      'Go (pgx)',
      '.NET (Npgsql)',
      'Flyway',
      'Liquibase',
    ]);
    fireEvent.click(screen.getByRole('tab', { name: 'URI' }));
    expect(await snippetText('dbaas-snippet-uri')).toBe(
      'postgresql://payments-ledger-write@127.0.0.1:55432/payments-ledger?sslmode=require',
    );
    expect(search().get('format')).toBe('uri');
  });

  it('gives a copyable command that sets PGPASSWORD from the local secret store', async () => {
    renderCard(withConnection(connectionInfo({ secretStore: 'local' })));

    expect(await snippetText('dbaas-snippet-psql-password-0')).toBe(
      `export PGPASSWORD="$(psql "host=127.0.0.1 port=55432 dbname=backstage_plugin_dbaas user=postgres" -Atc "SELECT password FROM dbaas_local_secrets WHERE path = 'customer/payments/payments-ledger-write'")"`,
    );
    expect(
      screen.getByRole('button', {
        name: 'Copy the command that sets PGPASSWORD',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('dbaas-snippet-psql-password-1'),
    ).not.toBeInTheDocument();
  });

  it('offers the aws and kubectl commands with AWS Secrets Manager', async () => {
    renderCard(
      withConnection(connectionInfo({ secretStore: 'aws-secrets-manager' })),
    );

    expect(await snippetText('dbaas-snippet-psql-password-0')).toContain(
      'aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write --query SecretString --output text | jq -r .password',
    );
    expect(await snippetText('dbaas-snippet-psql-password-1')).toBe(
      `export PGPASSWORD="$(kubectl get secret -n payments payments-ledger-write -o jsonpath='{.data.password}' | base64 -d)"`,
    );
  });

  it('gives the Flyway line as admin, whatever role is picked', async () => {
    renderCard(withConnection(connectionInfo({ secretStore: 'local' })), {
      url: '/?role=read&format=flyway',
    });

    const code = await snippetText('dbaas-snippet-flyway');
    expect(code).toContain('-user=payments-ledger-admin');
    expect(await snippetText('dbaas-snippet-flyway-password-0')).toMatch(
      /^export FLYWAY_PASSWORD=.*payments-ledger-admin/,
    );
    expect(
      screen.getByText(/^Migrations run as payments-ledger-admin/),
    ).toBeInTheDocument();
  });

  it('links to pgAdmin when there is one', async () => {
    renderCard(
      withConnection(
        connectionInfo({ pgAdminUrl: 'https://pgadmin.example.com/browser/' }),
      ),
    );

    expect(
      await screen.findByRole('link', { name: /^Open pgAdmin/ }),
    ).toHaveAttribute('href', 'https://pgadmin.example.com/browser/');
  });

  it('has no pgAdmin link when there is none', async () => {
    renderCard(withConnection(connectionInfo()));

    await screen.findByRole('radio', { name: 'write' });
    expect(
      screen.queryByRole('link', { name: /pgAdmin/ }),
    ).not.toBeInTheDocument();
  });

  it('says the snippets connect only once the database exists', async () => {
    renderCard(withConnection(connectionInfo()), { status: 'provisioning' });

    expect(
      await screen.findByText(
        'The database is not in the cluster (status provisioning): these snippets connect once it is.',
      ),
    ).toBeInTheDocument();
  });

  it('says clearly when the user may not see connection details (403)', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getConnectionInfo.mockRejectedValue(
      await responseError(403, 'Forbidden', 'Not allowed'),
    );
    renderCard(dbaasApi);

    expect(
      await screen.findByText(
        'You may not see connection details of this database.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'They need the dbaas.connection.read permission, which the owners of the tenant payments usually have. Ask them or the platform team.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('shows another failure with a retry', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getConnectionInfo
      .mockRejectedValueOnce(
        await responseError(
          500,
          'Internal Server Error',
          'cluster config broken',
        ),
      )
      .mockResolvedValueOnce(connectionInfo());
    renderCard(dbaasApi);

    expect(
      await screen.findByText(
        'Error: Could not load the connection details: cluster config broken',
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('radio', { name: 'write' })).toBeChecked();
    expect(dbaasApi.getConnectionInfo).toHaveBeenCalledTimes(2);
  });
});
