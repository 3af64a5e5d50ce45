import { TestDatabases } from '@backstage/backend-test-utils';
import { Client } from 'pg';
import {
  connect,
  describeWithPostgres,
  query,
  useUniqueNamespaces,
} from '../restores/workflow/engines/testFixtures';
import { quoteIdent } from '@dbaas/plugin-dbaas-node';
import { createAccessTestbed, users } from './__testUtils__/accessTestbed';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const HOUR = 3_600_000;

/** The SQLSTATE (or message) a login or query failed with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    const client = await promise;
    await (client as Client | undefined)?.end?.();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

async function roleExists(role: string): Promise<boolean> {
  return (
    (
      await query('postgres', 'SELECT 1 FROM pg_roles WHERE rolname = $1', [
        role,
      ])
    ).length > 0
  );
}

describeWithPostgres('personal access grants (real PostgreSQL)', () => {
  const namespaces = useUniqueNamespaces();
  const personalRoles: string[] = [];

  afterAll(async () => {
    const admin = await connect('postgres');
    try {
      for (const role of personalRoles) {
        await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      }
    } finally {
      await admin.end();
    }
  });

  async function start() {
    const namespace = namespaces.next();
    const tb = await createAccessTestbed(
      await databases.init('POSTGRES_15'),
      namespace,
    );
    return { ...tb, namespace };
  }

  /** Everything anybody but the requester could ever see or read later. */
  async function everythingButTheActivation(tb: {
    audits: unknown[];
    sent: unknown[];
    lines: string[];
    knex: any;
    call: (m: 'get', p: string, u: string) => Promise<any>;
    namespace: string;
  }) {
    const rows = await tb.knex('dbaas_access_grants').select();
    const lists = [
      (await tb.call('get', '/access-grants', users.bob)).body,
      (
        await tb.call(
          'get',
          `/databases/${tb.namespace}/ledger/access-grants?state=expired`,
          users.alice,
        )
      ).body,
      (
        await tb.call(
          'get',
          `/databases/${tb.namespace}/vault/access-grants`,
          users.alice,
        )
      ).body,
    ];
    return JSON.stringify([tb.audits, tb.sent, tb.lines, rows, lists]);
  }

  it('auto-approves an owner on dev, shows the password once to the requester only, and drops the role at expiry', async () => {
    const tb = await start();
    const { call, namespace } = tb;
    const created = await call(
      'post',
      `/databases/${namespace}/ledger/access-grants`,
      users.alice,
      { access: 'write', durationMinutes: 60, reason: 'fix a stuck job' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'approved',
      autoApproved: true,
      access: 'write',
      allowedActions: ['activate', 'revoke'],
    });
    const id = created.body.id;

    // Nobody else activates: not an approver, not the platform team.
    for (const other of [users.bob, users.carol, users.mallory]) {
      const refused = await call(
        'post',
        `/access-grants/${id}/activate`,
        other,
      );
      expect(refused.status).toBe(403);
    }

    const activated = await call(
      'post',
      `/access-grants/${id}/activate`,
      users.alice,
    );
    expect(activated.status).toBe(200);
    expect(activated.headers['cache-control']).toBe('no-store');
    const { credentials, grant } = activated.body;
    personalRoles.push(credentials.username);
    expect(grant).toMatchObject({
      state: 'active',
      loginRole: credentials.username,
    });
    expect(credentials.username).toMatch(/^alice_[0-9a-f]{8}$/);
    expect(credentials.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(credentials.database).toBe(`${namespace}-ledger`);
    expect(credentials.psqlCommand).toContain(credentials.uri);
    expect(credentials.uri).toContain(encodeURIComponent(credentials.password));
    expect(new Date(credentials.validUntil).getTime()).toBe(
      new Date(grant.activatedAt).getTime() + 60 * 60_000,
    );

    // The password logs in, as the database's write role.
    const session = await connect(credentials.database, {
      user: credentials.username,
      password: credentials.password,
    });
    const { rows } = await session.query('SELECT current_user::text AS u');
    expect(rows[0].u).toBe(`${namespace}-ledger-write`);
    const ended = new Promise<void>(resolve => session.on('end', resolve));

    // Never again.
    const again = await call(
      'post',
      `/access-grants/${id}/activate`,
      users.alice,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('shown once');
    const read = await call('get', `/access-grants/${id}`, users.alice);
    expect(JSON.stringify(read.body)).not.toContain(credentials.password);

    // The task, an hour later: expired, sessions ended, role gone.
    tb.clock.advance(HOUR + 1);
    await tb.runTask();
    await ended;
    const after = await call('get', `/access-grants/${id}`, users.alice);
    expect(after.body).toMatchObject({ state: 'expired', allowedActions: [] });
    expect(after.body.roleDroppedAt).toBeDefined();
    expect(await roleExists(credentials.username)).toBe(false);
    expect(
      await query(
        'postgres',
        'SELECT pid FROM pg_stat_activity WHERE usename = $1',
        [credentials.username],
      ),
    ).toEqual([]);
    expect(
      await failure(
        connect(credentials.database, {
          user: credentials.username,
          password: credentials.password,
        }),
      ),
    ).toBe('28P01');

    expect(tb.audits.map(a => `${a.eventId}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        'access-request:success',
        'access-activate:fail',
        'access-activate:success',
        'access-expire:success',
        'access-role-drop:success',
      ]),
    );
    expect(tb.sent.length).toBeGreaterThanOrEqual(3);
    expect(await everythingButTheActivation(tb)).not.toContain(
      credentials.password,
    );
  });

  it('makes production wait for someone else with dbaas.access.approve; self-approval is refused and audited', async () => {
    const tb = await start();
    const { call, namespace } = tb;
    const created = await call(
      'post',
      `/databases/${namespace}/vault/access-grants`,
      users.alice,
      { access: 'read', durationMinutes: 30, reason: 'incident 42' },
    );
    expect(created.body).toMatchObject({
      state: 'pending',
      autoApproved: false,
    });
    const id = created.body.id;
    expect(
      (await call('post', `/access-grants/${id}/activate`, users.alice)).status,
    ).toBe(409);

    // The platform team's bob asks for himself: even he waits, and cannot approve it.
    const bobs = await call(
      'post',
      `/databases/${namespace}/ledger/access-grants`,
      users.bob,
      { access: 'admin', durationMinutes: 15, reason: 'vacuum' },
    );
    expect(bobs.body.state).toBe('pending');
    const self = await call(
      'post',
      `/access-grants/${bobs.body.id}/approve`,
      users.bob,
      {},
    );
    expect(self.status).toBe(403);
    expect(self.body.error.message).toContain('your own access request');
    expect(tb.audits.at(-1)).toMatchObject({
      eventId: 'access-approve',
      severityLevel: 'high',
      outcome: 'fail',
      meta: expect.objectContaining({ ownRequest: true, actor: users.bob }),
    });

    const stranger = await call(
      'post',
      `/access-grants/${id}/approve`,
      users.mallory,
      {},
    );
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toContain('dbaas.access.approve');
    expect(tb.audits.at(-1)).toMatchObject({
      eventId: 'access-approve',
      outcome: 'fail',
    });
    // The owner cannot approve either (no dbaas.access.approve).
    expect(
      (await call('post', `/access-grants/${id}/approve`, users.alice, {}))
        .status,
    ).toBe(403);

    // Two approvals at once: exactly one wins.
    const decisions = await Promise.all([
      call('post', `/access-grants/${id}/approve`, users.bob, {
        comment: 'ok',
      }),
      call('post', `/access-grants/${id}/approve`, users.carol, {}),
    ]);
    expect(decisions.map(d => d.status).sort()).toEqual([200, 409]);
    const approved = decisions.find(d => d.status === 200)!.body;
    expect(approved).toMatchObject({ state: 'approved', autoApproved: false });
    // The approver cannot take the password.
    expect(
      (await call('post', `/access-grants/${id}/activate`, approved.decidedBy))
        .status,
    ).toBe(403);

    // Two activations at once: exactly one password.
    const activations = await Promise.all([
      call('post', `/access-grants/${id}/activate`, users.alice),
      call('post', `/access-grants/${id}/activate`, users.alice),
    ]);
    expect(activations.map(a => a.status).sort()).toEqual([200, 409]);
    const { credentials } = activations.find(a => a.status === 200)!.body;
    personalRoles.push(credentials.username);
    const session = await connect(credentials.database, {
      user: credentials.username,
      password: credentials.password,
    });
    const ended = new Promise<void>(resolve => session.on('end', resolve));

    // Revoked early by the platform team: sessions end, the role is gone.
    const revoked = await call(
      'post',
      `/access-grants/${id}/revoke`,
      users.carol,
      {
        reason: 'incident over',
      },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      state: 'revoked',
      revokedBy: users.carol,
      revokeReason: 'incident over',
    });
    expect(revoked.body.roleDroppedAt).toBeDefined();
    await ended;
    expect(await roleExists(credentials.username)).toBe(false);
    expect(
      await failure(
        connect(credentials.database, {
          user: credentials.username,
          password: credentials.password,
        }),
      ),
    ).toBe('28P01');
    expect(
      (await call('post', `/access-grants/${id}/revoke`, users.alice, {}))
        .status,
    ).toBe(409);
    expect(await everythingButTheActivation(tb)).not.toContain(
      credentials.password,
    );
  });

  it('revokes, with its role, a grant on a database that no longer exists', async () => {
    const tb = await start();
    const { call, namespace } = tb;
    const created = await call(
      'post',
      `/databases/${namespace}/ledger/access-grants`,
      users.alice,
      { access: 'read', durationMinutes: 480, reason: 'reporting' },
    );
    const waiting = await call(
      'post',
      `/databases/${namespace}/ledger/access-grants`,
      users.alice,
      { access: 'admin', durationMinutes: 5, reason: 'later' },
    );
    const activated = await call(
      'post',
      `/access-grants/${created.body.id}/activate`,
      users.alice,
    );
    const { username } = activated.body.credentials;
    personalRoles.push(username);
    expect(await roleExists(username)).toBe(true);

    await tb.setStatus('ledger', 'dev-eu', 'deleted');
    await tb.runTask();

    for (const id of [created.body.id, waiting.body.id]) {
      const grant = (await call('get', `/access-grants/${id}`, users.alice))
        .body;
      expect(grant).toMatchObject({
        state: 'revoked',
        revokedBy: 'dbaas',
        revokeReason: expect.stringContaining('no longer exists'),
      });
    }
    expect(await roleExists(username)).toBe(false);
    // And nothing new is given on it.
    expect(
      (
        await call(
          'post',
          `/databases/${namespace}/ledger/access-grants`,
          users.alice,
          {
            access: 'read',
            durationMinutes: 5,
            reason: 'again',
          },
        )
      ).status,
    ).toBe(404);
  });

  it('refuses bad requests with clear errors', async () => {
    const tb = await start();
    const { call, namespace } = tb;
    const ask = (user: string, body: object, name = 'ledger') =>
      call('post', `/databases/${namespace}/${name}/access-grants`, user, body);
    const valid = { access: 'read', durationMinutes: 30, reason: 'why' };

    const tooLong = await ask(users.alice, { ...valid, durationMinutes: 481 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain(
      'longer than the maximum of 480 minutes (dbaas.access.maxDuration)',
    );
    expect(
      (await ask(users.alice, { ...valid, durationMinutes: 0 })).status,
    ).toBe(400);
    expect(
      (await ask(users.alice, { ...valid, durationMinutes: 1.5 })).status,
    ).toBe(400);
    expect((await ask(users.alice, { ...valid, access: 'owner' })).status).toBe(
      400,
    );
    expect((await ask(users.alice, { ...valid, reason: '' })).status).toBe(400);
    const blank = await ask(users.alice, { ...valid, reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toContain('reason is required');
    expect(
      (await ask(users.alice, { access: 'read', reason: 'x' })).status,
    ).toBe(400);
    expect((await ask(users.mallory, valid)).status).toBe(403);
    expect((await ask(users.alice, valid, 'nope')).status).toBe(404);
    expect(
      (await call('post', '/access-grants/nope/activate', users.alice)).status,
    ).toBe(404);
    expect(
      (
        await call(
          'get',
          `/databases/${namespace}/ledger/access-grants?state=odd`,
          users.alice,
        )
      ).status,
    ).toBe(400);

    const pending = await ask(users.bob, valid);
    const reject = await call(
      'post',
      `/access-grants/${pending.body.id}/reject`,
      users.carol,
      {},
    );
    expect(reject.status).toBe(400);
    const rejected = await call(
      'post',
      `/access-grants/${pending.body.id}/reject`,
      users.carol,
      {
        reason: 'use the read replica',
      },
    );
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      decisionComment: 'use the read replica',
    });
    // Mallory may not revoke alice's grant.
    const alices = await ask(users.alice, valid);
    expect(
      (
        await call(
          'post',
          `/access-grants/${alices.body.id}/revoke`,
          users.mallory,
          {},
        )
      ).status,
    ).toBe(403);
    expect(tb.audits.at(-1)).toMatchObject({
      eventId: 'access-revoke',
      outcome: 'fail',
    });
  });

  it('lists the database’s open grants with the form’s settings, and expires unused requests', async () => {
    const tb = await start();
    const { call, namespace } = tb;
    await call(
      'post',
      `/databases/${namespace}/vault/access-grants`,
      users.alice,
      {
        access: 'read',
        durationMinutes: 30,
        reason: 'look',
      },
    );
    const listed = await call(
      'get',
      `/databases/${namespace}/vault/access-grants`,
      users.alice,
    );
    expect(listed.body).toMatchObject({
      maxDurationMinutes: 480,
      defaultDurationMinutes: 60,
      approvalRequired: true,
      mayRequest: true,
      items: [expect.objectContaining({ state: 'pending', reason: 'look' })],
    });
    const dev = await call(
      'get',
      `/databases/${namespace}/ledger/access-grants`,
      users.alice,
    );
    expect(dev.body.approvalRequired).toBe(false);
    const carols = await call(
      'get',
      `/databases/${namespace}/ledger/access-grants`,
      users.carol,
    );
    expect(carols.body).toMatchObject({
      mayRequest: false,
      approvalRequired: true,
    });
    const inbox = await call('get', '/access-grants?state=pending', users.bob);
    expect(inbox.body.items[0].allowedActions).toEqual([
      'approve',
      'reject',
      'revoke',
    ]);

    tb.clock.advance(25 * HOUR);
    await tb.runTask();
    const expired = await call(
      'get',
      `/databases/${namespace}/vault/access-grants?state=expired`,
      users.alice,
    );
    expect(expired.body.items).toHaveLength(1);
  });
});
