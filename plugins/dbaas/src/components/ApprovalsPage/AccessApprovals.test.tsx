import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { AccessGrant } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { mockDbaasApi } from '../DatabaseTab/testFixtures';
import { AccessApprovals } from './AccessApprovals';

function pending(overrides: Partial<AccessGrant> = {}): AccessGrant {
  return {
    id: 'g-1',
    namespace: 'payments',
    name: 'vault',
    databaseName: 'payments-vault',
    cluster: 'prod-eu',
    access: 'read',
    reason: 'incident 42',
    durationMinutes: 30,
    state: 'pending',
    requestedBy: 'user:default/alice',
    requestedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    autoApproved: false,
    updatedAt: new Date().toISOString(),
    allowedActions: ['approve', 'reject', 'revoke'],
    ...overrides,
  };
}

function render(api: ReturnType<typeof mockDbaasApi>, user: string) {
  return renderInTestApp(<AccessApprovals pollIntervalMs={60_000} />, {
    apis: [[dbaasApiRef, api], mockApis.identity({ userEntityRef: user })],
  });
}

describe('AccessApprovals', () => {
  it('approves and rejects (with a reason) pending access requests', async () => {
    const api = mockDbaasApi();
    api.listAccessGrants.mockResolvedValue({ items: [pending()] });
    api.approveAccessGrant.mockResolvedValue(pending({ state: 'approved' }));
    api.rejectAccessGrant.mockResolvedValue(pending({ state: 'rejected' }));
    await render(api, 'user:default/bob');

    const section = await screen.findByRole('region', {
      name: 'Access requests',
    });
    expect(await within(section).findByText(/asks for/)).toHaveTextContent(
      'user:default/alice asks for read access to payments-vault for 30 minutes',
    );
    expect(api.listAccessGrants).toHaveBeenCalledWith({
      state: 'pending',
      signal: expect.any(AbortSignal),
    });
    fireEvent.click(within(section).getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(api.approveAccessGrant).toHaveBeenCalledWith('g-1'),
    );

    fireEvent.click(within(section).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'use the replica' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(api.rejectAccessGrant).toHaveBeenCalledWith(
        'g-1',
        'use the replica',
      ),
    );
  });

  it('explains why the requester may not decide on their own request', async () => {
    const api = mockDbaasApi();
    api.listAccessGrants.mockResolvedValue({
      items: [pending({ allowedActions: ['revoke'] })],
    });
    await render(api, 'user:default/alice');
    expect(
      await screen.findByText(
        'This is your own request: someone else decides on it.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
  });
});
