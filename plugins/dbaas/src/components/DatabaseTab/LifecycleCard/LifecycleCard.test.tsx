import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { DatabaseDetail } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import {
  mockDbaasApi,
  pending,
  readyDatabase,
  responseError,
} from '../testFixtures';
import { LifecycleCard } from './LifecycleCard';

function renderCard(
  database: DatabaseDetail,
  dbaasApi: ReturnType<typeof mockDbaasApi>,
) {
  renderInTestApp(<LifecycleCard database={database} />, {
    apis: [[dbaasApiRef, dbaasApi]],
  });
}

function apiOwning(...namespaces: string[]) {
  const api = mockDbaasApi();
  api.listTenants.mockResolvedValue({
    items: namespaces.map(namespace => ({
      namespace,
      owners: [`group:default/${namespace}`],
    })),
  });
  return api;
}

function formDataOf(link: HTMLElement) {
  const url = new URL(link.getAttribute('href')!, 'http://localhost');
  return {
    path: url.pathname,
    formData: JSON.parse(url.searchParams.get('formData')!),
  };
}

describe('LifecycleCard', () => {
  it('opens the three forms with the database filled in, for an owner of the tenant', async () => {
    const api = apiOwning('checkout', 'payments');
    renderCard(readyDatabase({ mode: 'protected' }), api);

    const mode = await screen.findByTestId('dbaas-lifecycle-mode');
    expect(mode).toHaveTextContent('Make it standard');
    expect(formDataOf(mode)).toEqual({
      path: '/create/templates/default/postgres-database-mode',
      formData: { namespace: 'payments', name: 'ledger', mode: 'standard' },
    });
    expect(
      formDataOf(screen.getByTestId('dbaas-lifecycle-chart-version')),
    ).toEqual({
      path: '/create/templates/default/postgres-database-chart-version',
      formData: { namespace: 'payments', name: 'ledger' },
    });
    const remove = screen.getByTestId('dbaas-lifecycle-delete');
    expect(remove).toHaveTextContent('Delete this database');
    expect(formDataOf(remove)).toEqual({
      path: '/create/templates/default/postgres-database-delete',
      formData: { namespace: 'payments', name: 'ledger' },
    });
    expect(api.listTenants).toHaveBeenCalledWith(
      expect.objectContaining({ owned: true }),
    );
  });

  it('offers protection to a standard database', async () => {
    renderCard(readyDatabase({ mode: 'standard' }), apiOwning('payments'));

    expect(await screen.findByTestId('dbaas-lifecycle-mode')).toHaveTextContent(
      'Make it protected',
    );
  });

  it('shows no button to someone whose groups do not own the namespace, and says who can', async () => {
    renderCard(readyDatabase(), apiOwning('checkout'));

    expect(
      await screen.findByText(
        'Only members of payments, the owners of namespace payments, can change or delete it.',
      ),
    ).toBeInTheDocument();
    // LinkButtons are links with the role of a button.
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('links the open removal instead of offering a second one', async () => {
    renderCard(
      readyDatabase({
        status: 'deletion-requested',
        pullRequests: [
          {
            number: 31,
            url: 'https://github.com/acme/apps/pull/31',
            kind: 'delete',
            state: 'open',
            updatedAt: new Date().toISOString(),
          },
        ],
      }),
      apiOwning('payments'),
    );

    const card = await screen.findByTestId('dbaas-lifecycle-card');
    await within(card).findByTestId('dbaas-lifecycle-mode');
    expect(
      within(card).queryByTestId('dbaas-lifecycle-delete'),
    ).not.toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: /pull request #31/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/apps/pull/31');
  });

  it('has nothing to change while the database is not defined in the apps repository', async () => {
    const api = apiOwning('payments');
    renderCard(
      readyDatabase({ status: 'requested', folderPath: undefined }),
      api,
    );

    expect(
      await screen.findByText(
        /It is not defined in the apps repository yet, so there is nothing to change or delete/,
      ),
    ).toBeInTheDocument();
    // LinkButtons are links with the role of a button.
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  // The inventory keeps the folder of a database removed from the
  // repository; the actions would not find it there.
  it('offers nothing for an orphaned database, though its folder is known', async () => {
    renderCard(
      readyDatabase({ status: 'orphaned', folderPath: 'payments/ledger' }),
      apiOwning('payments'),
    );

    expect(
      await screen.findByText(/kept only by deletion protection/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers nothing for a standard database being dropped', async () => {
    renderCard(
      readyDatabase({
        mode: 'standard',
        status: 'deletion-requested',
        folderPath: 'payments/ledger',
      }),
      apiOwning('payments'),
    );

    expect(
      await screen.findByText(
        /is being dropped: there is nothing left to change/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('says when it cannot tell whether the user may change it', async () => {
    const api = mockDbaasApi();
    api.listTenants.mockRejectedValue(
      await responseError(503, 'Service Unavailable', 'catalog unreachable'),
    );
    renderCard(readyDatabase(), api);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not check whether you may change it: catalog unreachable',
    );
    // LinkButtons are links with the role of a button.
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows progress while checking', async () => {
    const api = mockDbaasApi();
    api.listTenants.mockImplementation(() => pending());
    renderCard(readyDatabase(), api);

    expect(
      await screen.findByLabelText('Checking what you may change'),
    ).toBeInTheDocument();
  });
});
