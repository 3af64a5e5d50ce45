import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  formatDuration,
  type DatabaseCredentials,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { mockDbaasApi, responseError } from '../testFixtures';
import { CredentialRotationPanel } from './CredentialRotationPanel';

const ref = { namespace: 'payments', name: 'ledger' };

function credentials(
  overrides: Partial<DatabaseCredentials> = {},
): DatabaseCredentials {
  return {
    namespace: 'payments',
    name: 'ledger',
    canRotate: true,
    approvalRequired: false,
    schedule: '30 days',
    recentRotations: [],
    roles: (['read', 'write', 'admin'] as const).map(access => ({
      access,
      username: `payments-ledger-${access}`,
      secretManagerPath: `customer/payments/payments-ledger-${access}`,
      secretExists: true,
      changedAt: '2026-11-01T10:00:00.000Z',
      ageSeconds: 3 * 86_400,
    })),
    ...overrides,
  };
}

function render(api: ReturnType<typeof mockDbaasApi>) {
  return renderInTestApp(<CredentialRotationPanel databaseRef={ref} />, {
    apis: [[dbaasApiRef, api]],
  });
}

/** The machine running the tests may be busy: wait longer than 1 s. */
const SLOW = { timeout: 10_000 };

describe('CredentialRotationPanel', () => {
  it('shows each role with its login user, age and schedule, and rotates on click', async () => {
    const api = mockDbaasApi();
    api.getDatabaseCredentials.mockResolvedValue(credentials());
    api.rotateCredential.mockResolvedValue({
      id: 'r1',
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      access: 'write',
      requestedBy: 'user:default/alice',
      state: 'succeeded',
      username: 'payments-ledger-wrt_b',
      requestedAt: '2026-11-04T10:00:00.000Z',
    });
    await render(api);
    expect(
      await screen.findByText('payments-ledger-write', {}, SLOW),
    ).toBeInTheDocument();
    expect(screen.getByText(/Rotated every 30 days/)).toBeInTheDocument();
    expect(screen.getAllByText(formatDuration(3 * 86_400))).toHaveLength(3);

    fireEvent.click(
      screen.getByRole('button', { name: 'Rotate the write credential now' }),
    );
    expect(
      await screen.findByText(
        /Rotated the write credential: the secret now names payments-ledger-wrt_b/,
        {},
        SLOW,
      ),
    ).toBeInTheDocument();
    expect(api.rotateCredential).toHaveBeenCalledWith(ref, 'write');
    await waitFor(
      () => expect(api.getDatabaseCredentials).toHaveBeenCalledTimes(2),
      SLOW,
    );
  });

  it('offers no button without the permission, and shows a rotation under way', async () => {
    const api = mockDbaasApi();
    const base = credentials({ canRotate: false, approvalRequired: true });
    base.roles[1].activeRotation = {
      id: 'r2',
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      access: 'write',
      requestedBy: 'user:default/alice',
      state: 'pending-approval',
      requestedAt: '2026-11-04T10:00:00.000Z',
    };
    api.getDatabaseCredentials.mockResolvedValue(base);
    await render(api);
    expect(
      await screen.findByText('pending-approval', {}, SLOW),
    ).toBeInTheDocument();
    expect(screen.getByText(/waits for an approver/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Rotate/ })).toBeNull();
  });

  it("shows the backend's reason when a rotation is refused", async () => {
    const api = mockDbaasApi();
    api.getDatabaseCredentials.mockResolvedValue(credentials());
    api.rotateCredential.mockRejectedValue(
      await responseError(
        409,
        'Conflict',
        'The write credential of payments-ledger already has a rotation running',
      ),
    );
    await render(api);
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Rotate the write credential now' },
        SLOW,
      ),
    );
    expect(
      await screen.findByText(/already has a rotation running/),
    ).toBeInTheDocument();
  });
});
