import { TestDatabases } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  createAccessTestbed,
  users,
} from '../accessGrants/__testUtils__/accessTestbed';
import { as } from '../restores/__testUtils__/restoreTestbed';
import {
  describeWithPostgres,
  useUniqueNamespaces,
} from '../restores/workflow/engines/testFixtures';
import { registerAccessActions } from './registerAccessActions';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describeWithPostgres('access MCP actions', () => {
  const namespaces = useUniqueNamespaces();

  it('asks, lists and revokes with the caller’s rights; no action activates', async () => {
    const namespace = namespaces.next();
    const tb = await createAccessTestbed(
      await databases.init('POSTGRES_15'),
      namespace,
    );
    const actions = actionsRegistryServiceMock();
    registerAccessActions(actions, tb.service);
    const invoke = (name: string, input: object, user: string) =>
      actions.invoke({
        id: `test:${name}`,
        input: input as any,
        credentials: as(user),
      });
    const input = {
      namespace,
      name: 'vault',
      access: 'read',
      durationMinutes: 20,
      reason: 'look at a report',
    };

    await expect(
      invoke('request-database-access', input, users.mallory),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      invoke(
        'request-database-access',
        { ...input, durationMinutes: 600 },
        users.alice,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('dbaas.access.maxDuration'),
    });
    const { output } = await invoke(
      'request-database-access',
      input,
      users.alice,
    );
    expect(output).toEqual({
      grant: expect.objectContaining({
        state: 'pending',
        requestedBy: users.alice,
        access: 'read',
      }),
    });
    const listed = await invoke(
      'list-database-access-grants',
      { state: 'pending' },
      users.bob,
    );
    expect((listed.output as any).grants).toHaveLength(1);

    const revoked = await invoke(
      'revoke-database-access',
      { id: (output as any).grant.id, reason: 'not needed' },
      users.alice,
    );
    expect((revoked.output as any).grant.state).toBe('revoked');
    // The password is for the person, in the portal: no action shows it.
    await expect(
      invoke('activate-database-access', { id: 'x' }, users.alice),
    ).rejects.toThrow();
  });
});
