import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  AccessGrant,
  ActivatedAccessGrant,
  DatabaseAccessGrants,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { mockDbaasApi, responseError } from '../testFixtures';
import { AccessCard } from './AccessCard';

const ALICE = 'user:default/alice';
const REF = { namespace: 'payments', name: 'ledger' };
const PASSWORD = 'Zx9-one-time-password-0123456789abcdefghijkl';

function grant(overrides: Partial<AccessGrant> = {}): AccessGrant {
  return {
    id: '1a2b3c4d-0000-4000-8000-000000000001',
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    cluster: 'dev-eu',
    access: 'write',
    reason: 'fix a stuck job',
    durationMinutes: 60,
    state: 'approved',
    requestedBy: ALICE,
    requestedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    autoApproved: true,
    updatedAt: new Date().toISOString(),
    allowedActions: ['activate', 'revoke'],
    ...overrides,
  };
}

function listing(
  overrides: Partial<DatabaseAccessGrants> = {},
): DatabaseAccessGrants {
  return {
    items: [],
    maxDurationMinutes: 480,
    defaultDurationMinutes: 60,
    approvalRequired: false,
    mayRequest: true,
    ...overrides,
  };
}

function render(api: ReturnType<typeof mockDbaasApi>) {
  return renderInTestApp(<AccessCard databaseRef={REF} />, {
    apis: [[dbaasApiRef, api]],
  });
}

describe('AccessCard', () => {
  it('asks for access with role, duration and reason, and checks them first', async () => {
    const api = mockDbaasApi();
    api.listDatabaseAccessGrants.mockResolvedValue(listing());
    api.requestAccess.mockResolvedValue(grant());
    await render(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Ask for access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Ask for personal access',
    });
    expect(dialog).toHaveTextContent('approved at once');
    const duration = within(dialog).getByLabelText('Duration (minutes)');
    fireEvent.change(duration, { target: { value: '481' } });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Ask for access' }),
    );
    expect(
      await within(dialog).findByText(
        'A whole number of minutes from 1 to 480',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/A reason is required/),
    ).toBeInTheDocument();
    expect(api.requestAccess).not.toHaveBeenCalled();

    fireEvent.change(duration, { target: { value: '90' } });
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: '  check the report  ' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Ask for access' }),
    );
    await waitFor(() =>
      expect(api.requestAccess).toHaveBeenCalledWith(REF, {
        access: 'read',
        durationMinutes: 90,
        reason: 'check the report',
      }),
    );
  });

  it('disables asking, saying why, without dbaas.access.request', async () => {
    const api = mockDbaasApi();
    api.listDatabaseAccessGrants.mockResolvedValue(
      listing({ mayRequest: false }),
    );
    await render(api);
    expect(
      await screen.findByRole('button', { name: 'Ask for access' }),
    ).toBeDisabled();
    expect(screen.getByText(/dbaas\.access\.request/)).toBeInTheDocument();
  });

  it('lists grants and shows the password once, on activation, with psql and the URI', async () => {
    const api = mockDbaasApi();
    const approved = grant();
    const other = grant({
      id: '1a2b3c4d-0000-4000-8000-000000000002',
      requestedBy: 'user:default/bob',
      state: 'active',
      access: 'read',
      reason: 'incident 42',
      loginRole: 'bob_1a2b3c4d',
      validUntil: new Date(Date.now() + 1_800_000).toISOString(),
      allowedActions: ['revoke'],
    });
    api.listDatabaseAccessGrants.mockResolvedValue(
      listing({ items: [approved, other] }),
    );
    const uri = `postgresql://alice_1a2b3c4d:${PASSWORD}@localhost:5432/payments-ledger?sslmode=require`;
    const activated: ActivatedAccessGrant = {
      grant: { ...approved, state: 'active', allowedActions: ['revoke'] },
      credentials: {
        username: 'alice_1a2b3c4d',
        password: PASSWORD,
        host: 'localhost',
        port: 5432,
        database: 'payments-ledger',
        sslmode: 'require',
        portForwardCommand: '',
        psqlCommand: `psql '${uri}'`,
        uri,
        validUntil: new Date(Date.now() + 3_600_000).toISOString(),
      },
    };
    api.activateAccessGrant.mockResolvedValue(activated);
    await render(api);

    const table = await screen.findByRole('table', {
      name: 'Personal access grants',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[1]).toHaveTextContent('bob');
    expect(rows[1]).toHaveTextContent('incident 42');
    expect(rows[1]).toHaveTextContent('bob_1a2b3c4d');
    // Who, role, state and the buttons never wrap inside a word.
    const cells = within(rows[1]).getAllByRole('cell');
    for (const i of [0, 1, 2, 5]) {
      expect(cells[i]).toHaveStyle({ whiteSpace: 'nowrap' });
    }
    expect(cells[4]).not.toHaveStyle({ whiteSpace: 'nowrap' });
    expect(
      within(rows[1]).queryByRole('button', { name: 'Activate' }),
    ).toBeNull();
    expect(document.body).not.toHaveTextContent(PASSWORD);

    fireEvent.click(within(rows[0]).getByRole('button', { name: 'Activate' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Your personal access is active',
    });
    expect(dialog).toHaveTextContent('This password is shown once');
    // The warning is open, not a click away.
    expect(
      within(dialog).getByRole('button', {
        name: /This password is shown once/,
        expanded: true,
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('dbaas-access-password')).toHaveTextContent(
      PASSWORD,
    );
    expect(screen.getByTestId('dbaas-access-psql')).toHaveTextContent(
      `psql '${uri}'`,
    );
    expect(screen.getByTestId('dbaas-access-uri')).toHaveTextContent(uri);
    expect(
      within(dialog).getByRole('button', { name: 'Copy the password' }),
    ).toBeInTheDocument();

    fireEvent.click(
      within(dialog).getByRole('button', { name: 'I have copied it' }),
    );
    await waitFor(() => expect(document.body).not.toHaveTextContent(PASSWORD));
  });

  it('revokes and shows the backend’s refusal', async () => {
    const api = mockDbaasApi();
    api.listDatabaseAccessGrants.mockResolvedValue(
      listing({
        items: [grant({ state: 'active', allowedActions: ['revoke'] })],
      }),
    );
    api.revokeAccessGrant.mockRejectedValue(
      await responseError(409, 'Conflict', 'Access grant x is already expired'),
    );
    await render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Access grant x is already expired',
    );
  });
});
