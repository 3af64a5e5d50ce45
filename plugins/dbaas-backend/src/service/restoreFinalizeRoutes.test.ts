import { TestDatabases } from '@backstage/backend-test-utils';
import {
  createFinalizeTestbed,
  FinalizeTestbed,
} from '../restores/__testUtils__/finalizeTestbed';
import { startRestoreRoutes } from '../restores/__testUtils__/restoreRoutesServer';
import { users } from '../restores/__testUtils__/restoreTestbed';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/**
 * `GET /restores/:id/preview` and `POST /restores/:id/finalize` behind the
 * real HTTP stack (auth, OpenAPI request validation, error mapping), over
 * the real flow on the test PostgreSQL server (QUALITY 11: direct calls get
 * the same decisions as the UI).
 */
describe('restore preview and finalize routes', () => {
  let tb: FinalizeTestbed;
  let call: Awaited<ReturnType<typeof startRestoreRoutes>>['call'];

  beforeAll(async () => {
    tb = await createFinalizeTestbed(await databases.init('POSTGRES_15'));
    ({ call } = await startRestoreRoutes(tb.requests));
  });
  afterAll(async () => {
    await tb?.cleanup();
  });

  it('serves the preview and lets the requester finalize, with the backend’s refusals', async () => {
    const id = await tb.approvedInPlace('orders');

    // Before the preview step ran there is none.
    const early = await call('get', `/restores/${id}/preview`, users.alice);
    expect(early.status).toBe(404);
    expect(early.body.error.message).toBe(
      `Restore request ${id} has no preview yet (approved)`,
    );
    const tooEarly = await call(
      'post',
      `/restores/${id}/finalize`,
      users.alice,
      {},
    );
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toBe(
      `Restore request ${id} is approved; only a restore awaiting finalize can be finalized`,
    );

    await tb.executor('a').runOnce();
    const preview = await call('get', `/restores/${id}/preview`, users.alice);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      restoreId: id,
      databaseName: tb.databases.orders,
      totals: { rowsAtSnapshot: 15, rowsNow: 15 },
    });
    // Readable as the request is: a service too; mallory may not read it.
    expect(
      (await call('get', `/restores/${id}/preview`, 'service')).status,
    ).toBe(200);
    expect(
      (await call('get', `/restores/${id}/preview`, users.mallory)).status,
    ).toBe(403);
    expect(
      (await call('get', '/restores/no-such-id/preview', users.alice)).status,
    ).toBe(404);

    // Bad bodies are refused before anything is decided.
    expect(
      (
        await call('post', `/restores/${id}/finalize`, users.alice, {
          comment: 'x'.repeat(2001),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('post', `/restores/${id}/finalize`, users.alice, {
          swap: 'now',
        })
      ).status,
    ).toBe(400);
    // Only people finalize, and of a standard database only its requester.
    expect(
      (await call('post', `/restores/${id}/finalize`, 'service', {})).status,
    ).toBe(403);
    const bob = await call('post', `/restores/${id}/finalize`, users.bob, {});
    expect(bob.status).toBe(403);
    expect(bob.body.error.message).toBe(
      `Only the requester (${users.alice}) finalizes this restore; approvers may cancel it`,
    );

    const ok = await call('post', `/restores/${id}/finalize`, users.alice, {
      comment: 'counts match',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      state: 'running',
      finalizeRequired: true,
      finalization: { by: users.alice, comment: 'counts match' },
    });
    const again = await call('post', `/restores/${id}/finalize`, users.alice);
    expect(again.status).toBe(409);

    await tb.executor('a').runOnce();
    const done = await call('get', `/restores/${id}`, users.alice);
    expect(done.body.state).toBe('succeeded');
    // The preview stays readable afterwards, as it was last counted.
    const after = await call('get', `/restores/${id}/preview`, users.alice);
    expect(after.status).toBe(200);
    expect(after.body.finalizeDeadline).toBeUndefined();
  });

  it('refuses the requester of a protected database with 403, and lets an approver finalize', async () => {
    const id = await tb.approvedInPlace('vault');
    await tb.executor('a').runOnce();
    const own = await call('post', `/restores/${id}/finalize`, users.alice, {});
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      `${tb.databases.vault} is protected: an approver finalizes its restore, never its requester alone`,
    );
    const listed = await call(
      'get',
      `/restores?status=awaiting-finalize&namespace=${tb.namespace}`,
      users.carol,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id,
        state: 'awaiting-finalize',
        allowedActions: ['cancel', 'finalize'],
      }),
    ]);
    const ok = await call('post', `/restores/${id}/finalize`, users.carol, {});
    expect(ok.status).toBe(200);
    await tb.executor('a').runOnce();
    expect((await call('get', `/restores/${id}`, users.alice)).body.state).toBe(
      'succeeded',
    );
  });
});
