import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { CredentialRotation } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { mockDbaasApi, responseError } from '../DatabaseTab/testFixtures';
import { CredentialRotationApprovals } from './CredentialRotationApprovals';

function rotation(
  overrides: Partial<CredentialRotation> = {},
): CredentialRotation {
  return {
    id: 'r1',
    namespace: 'payments',
    name: 'vault',
    databaseName: 'payments-vault',
    access: 'admin',
    requestedBy: 'user:default/alice',
    reason: 'leaked',
    state: 'pending-approval',
    requestedAt: '2026-11-04T10:00:00.000Z',
    allowedActions: ['approve', 'reject'],
    ...overrides,
  };
}

function render(api: ReturnType<typeof mockDbaasApi>) {
  return renderInTestApp(<CredentialRotationApprovals />, {
    apis: [[dbaasApiRef, api]],
  });
}

/** The machine running the tests may be busy: wait longer than 1 s. */
const SLOW = { timeout: 10_000 };

describe('CredentialRotationApprovals', () => {
  it('lists pending rotations and approves one', async () => {
    const api = mockDbaasApi();
    api.listCredentialRotations
      .mockResolvedValueOnce({ items: [rotation()] })
      .mockResolvedValueOnce({ items: [] });
    api.approveCredentialRotation.mockResolvedValue(
      rotation({ state: 'succeeded' }),
    );
    await render(api);
    expect(
      await screen.findByText('payments-vault', {}, SLOW),
    ).toBeInTheDocument();
    expect(screen.getByText(/leaked/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Approve and rotate' }));
    expect(
      await screen.findByText(
        'No credential rotation is waiting for a decision.',
      ),
    ).toBeInTheDocument();
    expect(api.approveCredentialRotation).toHaveBeenCalledWith('r1');
    expect(api.listCredentialRotations).toHaveBeenCalledWith({
      state: 'pending-approval',
      signal: expect.any(AbortSignal),
    });
  });

  it('rejects only with a reason, and shows a refusal', async () => {
    const api = mockDbaasApi();
    api.listCredentialRotations.mockResolvedValue({ items: [rotation()] });
    api.rejectCredentialRotation.mockRejectedValue(
      await responseError(
        403,
        'Forbidden',
        'You may not reject credential rotations',
      ),
    );
    await render(api);
    const reject = await screen.findByRole('button', { name: 'Reject' }, SLOW);
    expect(reject).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Reason to reject'), {
      target: { value: 'freeze' },
    });
    fireEvent.click(reject);
    await waitFor(
      () =>
        expect(api.rejectCredentialRotation).toHaveBeenCalledWith(
          'r1',
          'freeze',
        ),
      SLOW,
    );
    expect(
      await screen.findByText(
        'You may not reject credential rotations',
        {},
        SLOW,
      ),
    ).toBeInTheDocument();
  });

  it('offers no decision on a rotation the caller may not decide', async () => {
    const api = mockDbaasApi();
    api.listCredentialRotations.mockResolvedValue({
      items: [rotation({ allowedActions: undefined })],
    });
    await render(api);
    expect(
      await screen.findByText(/nobody approves their own rotation/, {}, SLOW),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve and rotate' }),
    ).toBeNull();
  });
});
