import { TestDatabases } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dbaasRestoreRequestPermission } from '@dbaas/plugin-dbaas-common';
import {
  as,
  createRestoreTestbed,
  users,
} from '../restores/__testUtils__/restoreTestbed';
import { registerRestoreActions } from './registerRestoreActions';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('restore MCP actions', () => {
  async function setUp() {
    const tb = await createRestoreTestbed(await databases.init('POSTGRES_15'), {
      decide: (permission, user) =>
        permission === dbaasRestoreRequestPermission.name &&
        user !== users.alice
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const actions = actionsRegistryServiceMock();
    registerRestoreActions(actions, tb.requests);
    const invoke = (name: string, input: object, user: string) =>
      actions.invoke({
        id: `test:${name}`,
        input: input as any,
        credentials: as(user),
      });
    return { tb, invoke };
  }

  it('requests a restore with the caller’s rights, as the REST API does', async () => {
    const { tb, invoke } = await setUp();
    const input = {
      namespace: 'payments',
      name: 'ledger',
      snapshotId: 'ledger-1',
      reason: 'oops',
    };
    await expect(
      invoke('request-database-restore', input, users.mallory),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    const { output } = await invoke(
      'request-database-restore',
      input,
      users.alice,
    );
    expect(output).toEqual({
      restore: expect.objectContaining({
        target: 'new-database',
        state: 'pending-approval',
        requestedBy: users.alice,
      }),
    });
    // The second one is refused while the first is active.
    await expect(
      invoke(
        'request-database-restore',
        { ...input, target: 'in-place' },
        users.alice,
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    const listed = await invoke(
      'list-database-restores',
      { status: 'pending-approval' },
      users.bob,
    );
    expect((listed.output as any).restores).toEqual([
      expect.objectContaining({
        id: (output as any).restore.id,
        allowedActions: ['approve', 'reject', 'cancel'],
      }),
    ]);
    expect(tb.audits.map(a => [a.eventId, a.outcome])).toEqual([
      ['restore-request', 'fail'],
      ['restore-request', 'success'],
      ['restore-request', 'fail'],
    ]);
  });
});
