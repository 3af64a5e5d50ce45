import { randomBytes } from 'node:crypto';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { credentialTwinName } from '@dbaas/plugin-dbaas-common';
import { Client } from 'pg';
import {
  describeWithCluster,
  dropTenantDatabases,
  testClusterUrl,
} from '../__testUtils__/testCluster';
import {
  createRotationTestbed,
  users,
} from '../rotation/__testUtils__/rotationTestbed';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describeWithCluster('credential rotation routes on a real cluster', () => {
  const namespaces: string[] = [];

  async function testbed(
    options: { environment?: 'production' | 'dev'; rotation?: unknown } = {},
  ) {
    const namespace = `rot${randomBytes(4).toString('hex')}`;
    namespaces.push(namespace);
    const bed = await createRotationTestbed(
      await databases.init('POSTGRES_15'),
      { namespace, clusterUrl: testClusterUrl!, ...options },
    );
    const path = (name: string, rest = '') =>
      `/databases/${namespace}/${name}${rest}`;
    const secretOf = async (name: string, access: string) =>
      (await bed.secretStore.get(
        `customer/${namespace}/${namespace}-${name}-${access}`,
      ))!;
    /** Every password the secret store ever held in these tests. */
    const passwords = new Set<string>();
    const remember = async () => {
      for (const name of ['ledger', 'vault']) {
        for (const access of ['read', 'write', 'admin']) {
          passwords.add((await secretOf(name, access)).password);
        }
      }
    };
    await remember();
    const expectNoPassword = async (...responses: unknown[]) => {
      await remember();
      const everything = JSON.stringify([
        responses,
        bed.audits,
        bed.sent,
        bed.logLines,
      ]);
      for (const password of passwords) {
        expect(everything).not.toContain(password);
      }
    };
    return { ...bed, namespace, path, secretOf, expectNoPassword };
  }

  afterAll(async () => {
    for (const namespace of namespaces) {
      await dropTenantDatabases(testClusterUrl!, namespace);
    }
  });

  it('rotates a standard database at once: same path, the twin named, the old password still logs in', async () => {
    const bed = await testbed();
    const before = await bed.secretOf('ledger', 'write');
    const response = await bed
      .call(
        'post',
        bed.path('ledger', '/credentials/write/rotate'),
        users.alice,
        {
          reason: 'leaked in a CI log',
        },
      )
      .expect(201);
    const twin = credentialTwinName(`${bed.namespace}-ledger`, 'write');
    expect(response.body).toMatchObject({
      state: 'succeeded',
      access: 'write',
      requestedBy: users.alice,
      username: twin,
    });
    const after = await bed.secretOf('ledger', 'write');
    expect(after.username).toBe(twin);
    expect(after.password).not.toBe(before.password);

    // Both log in now.
    for (const secret of [before, after]) {
      const client = new Client({
        host: new URL(testClusterUrl!).hostname,
        port: Number(new URL(testClusterUrl!).port),
        user: secret.username,
        password: secret.password,
        database: `${bed.namespace}-ledger`,
      });
      await client.connect();
      await client.end();
    }

    const credentials = await bed
      .call('get', bed.path('ledger', '/credentials'), users.alice)
      .expect(200);
    const write = credentials.body.roles.find((r: any) => r.access === 'write');
    expect(write).toMatchObject({
      username: twin,
      secretManagerPath: `customer/${bed.namespace}/${bed.namespace}-ledger-write`,
      secretExists: true,
      lastRotatedAt: response.body.finishedAt,
      ageSeconds: expect.any(Number),
    });
    expect(credentials.body).toMatchObject({
      canRotate: true,
      approvalRequired: false,
      recentRotations: [expect.objectContaining({ id: response.body.id })],
    });
    expect(bed.audits.map(a => [a.eventId, a.outcome])).toEqual([
      ['credential-rotation-request', 'success'],
      ['credential-rotation-run', 'success'],
    ]);
    expect(bed.sent.map(n => n.title)).toEqual([
      `Rotated the write credential of ${bed.namespace}-ledger`,
    ]);
    expect(bed.sent[0].recipients).toEqual(
      expect.arrayContaining(['group:default/payments', users.alice]),
    );
    // The connection info (snippets) names the user the secret names.
    const connection = await bed.databasesService.connection(
      { namespace: bed.namespace, name: 'ledger' },
      mockCredentials.user(users.alice),
    );
    expect(
      Object.fromEntries(connection.roles.map(r => [r.access, r.username])),
    ).toEqual({
      read: `${bed.namespace}-ledger-read`,
      write: twin,
      admin: `${bed.namespace}-ledger-admin`,
    });
    expect(connection.roles.find(r => r.access === 'write')).toMatchObject({
      secretManagerPath: `customer/${bed.namespace}/${bed.namespace}-ledger-write`,
      kubernetesSecretName: `${bed.namespace}-ledger-write`,
    });
    await bed.expectNoPassword(response.body, credentials.body, connection);
  });

  it('refuses a non-owner (403, audited) and bad input (400)', async () => {
    const bed = await testbed();
    const refused = await bed
      .call(
        'post',
        bed.path('ledger', '/credentials/write/rotate'),
        users.mallory,
      )
      .expect(403);
    expect(refused.body.error.message).toMatch(
      /You may not rotate the credentials of/,
    );
    expect(bed.audits).toEqual([
      expect.objectContaining({
        eventId: 'credential-rotation-request',
        outcome: 'fail',
      }),
    ]);
    await bed
      .call(
        'post',
        bed.path('ledger', '/credentials/owner/rotate'),
        users.alice,
      )
      .expect(400);
    await bed
      .call(
        'post',
        bed.path('ledger', '/credentials/write/rotate'),
        users.alice,
        {
          reason: 42,
        },
      )
      .expect(400);
    await bed
      .call(
        'post',
        bed.path('missing', '/credentials/write/rotate'),
        users.alice,
      )
      .expect(404);
    await bed
      .call('get', bed.path('ledger', '/credentials'), users.mallory)
      .expect(403);
    // The credential did not change.
    expect((await bed.secretOf('ledger', 'write')).username).toBe(
      `${bed.namespace}-ledger-write`,
    );
  });

  it('makes a protected database wait for another approver; self-approval is refused and audited', async () => {
    const bed = await testbed();
    const requested = await bed
      .call('post', bed.path('vault', '/credentials/admin/rotate'), users.alice)
      .expect(201);
    expect(requested.body.state).toBe('pending-approval');
    expect((await bed.secretOf('vault', 'admin')).username).toBe(
      `${bed.namespace}-vault-admin`,
    );

    const pending = await bed
      .call('get', '/credential-rotations', users.carol)
      .expect(200);
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        id: requested.body.id,
        allowedActions: ['approve', 'reject'],
      }),
    ]);
    // Not an approver: only their own.
    expect(
      (
        await bed
          .call('get', '/credential-rotations', users.mallory)
          .expect(200)
      ).body.items,
    ).toEqual([]);

    const own = await bed
      .call(
        'post',
        `/credential-rotations/${requested.body.id}/approve`,
        users.alice,
      )
      .expect(403);
    expect(own.body.error.message).toMatch(
      /Nobody approves their own credential rotation/,
    );
    expect(bed.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'credential-rotation-approve',
        severityLevel: 'high',
        outcome: 'fail',
      }),
    );
    await bed
      .call(
        'post',
        `/credential-rotations/${requested.body.id}/approve`,
        users.mallory,
      )
      .expect(403);

    const approved = await bed
      .call(
        'post',
        `/credential-rotations/${requested.body.id}/approve`,
        users.bob,
        {
          comment: 'ok',
        },
      )
      .expect(200);
    expect(approved.body).toMatchObject({
      state: 'succeeded',
      decidedBy: users.bob,
      username: credentialTwinName(`${bed.namespace}-vault`, 'admin'),
    });
    // Decided once: a second approval is a conflict.
    await bed
      .call(
        'post',
        `/credential-rotations/${requested.body.id}/approve`,
        users.carol,
      )
      .expect(409);
    await bed.expectNoPassword(requested.body, pending.body, approved.body);
  });

  it('requires approval on production clusters, and a reason to reject', async () => {
    const bed = await testbed({ environment: 'production' });
    const requested = await bed
      .call('post', bed.path('ledger', '/credentials/read/rotate'), users.alice)
      .expect(201);
    expect(requested.body.state).toBe('pending-approval');
    await bed
      .call(
        'post',
        `/credential-rotations/${requested.body.id}/reject`,
        users.bob,
        {},
      )
      .expect(400);
    const rejected = await bed
      .call(
        'post',
        `/credential-rotations/${requested.body.id}/reject`,
        users.bob,
        {
          reason: 'not during the freeze',
        },
      )
      .expect(200);
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      decidedBy: users.bob,
      decisionComment: 'not during the freeze',
    });
    // Rejected frees the role for a new request.
    await bed
      .call('post', bed.path('ledger', '/credentials/read/rotate'), users.alice)
      .expect(201);
  });

  it('lets one of two simultaneous rotations of a role run; the other gets 409, on one replica or two', async () => {
    const bed = await testbed({ environment: 'production' });
    const rotate = () =>
      bed.call(
        'post',
        bed.path('ledger', '/credentials/write/rotate'),
        users.alice,
      );
    const answers = await Promise.all([rotate(), rotate(), rotate()]);
    expect(answers.map(a => a.status).sort()).toEqual([201, 409, 409]);
    const conflict = answers.find(a => a.status === 409)!;
    expect(conflict.body.error.message).toMatch(
      /already has a rotation pending-approval/,
    );

    // Two replicas (two services, one database) asking at once.
    const other = bed.makeService();
    const ref = { namespace: bed.namespace, name: 'ledger' };
    const context = { credentials: mockCredentials.user(users.alice) };
    const results = await Promise.allSettled([
      bed.service.request(ref, 'admin', {}, context),
      other.request(ref, 'admin', {}, context),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const failed = results.find(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult;
    expect(failed.reason.name).toBe('ConflictError');
  });

  it('alternates on every rotation: after the second one the first password fails', async () => {
    const bed = await testbed();
    const first = await bed.secretOf('ledger', 'read');
    await bed
      .call('post', bed.path('ledger', '/credentials/read/rotate'), users.alice)
      .expect(201);
    const second = await bed
      .call('post', bed.path('ledger', '/credentials/read/rotate'), users.alice)
      .expect(201);
    expect(second.body.username).toBe(`${bed.namespace}-ledger-read`);
    const login = (secret: { username: string; password: string }) => {
      const client = new Client({
        host: new URL(testClusterUrl!).hostname,
        port: Number(new URL(testClusterUrl!).port),
        user: secret.username,
        password: secret.password,
        database: `${bed.namespace}-ledger`,
      });
      return client.connect().finally(() => client.end().catch(() => {}));
    };
    await expect(login(first)).rejects.toMatchObject({ code: '28P01' });
    await login(await bed.secretOf('ledger', 'read'));
  });

  it('rotates on schedule (dbaas.rotation) what is older than the period, then nothing until it is due again', async () => {
    const bed = await testbed({
      rotation: { environments: { dev: { every: { days: 30 } } } },
    });
    await bed.service.runDue();
    expect(
      bed.audits.filter(a => a.eventId === 'credential-rotation-run'),
    ).toEqual([]);
    const credentials = await bed
      .call('get', bed.path('ledger', '/credentials'), users.alice)
      .expect(200);
    expect(credentials.body.schedule).toBe('30 days');
    const next = credentials.body.roles[0].nextRotationAt;
    expect(
      new Date(next).getTime() -
        new Date(credentials.body.roles[0].changedAt).getTime(),
    ).toBe(30 * 86_400_000);

    bed.clock.advance(31 * 86_400_000);
    await bed.service.runDue();
    const runs = bed.audits.filter(
      a => a.eventId === 'credential-rotation-run',
    );
    // Three roles of two databases; protected ones too (the schedule is the policy).
    expect(runs).toHaveLength(6);
    expect(runs.every(r => r.outcome === 'success')).toBe(true);
    expect((await bed.secretOf('vault', 'admin')).username).toBe(
      credentialTwinName(`${bed.namespace}-vault`, 'admin'),
    );
    const history = await bed
      .call('get', bed.path('ledger', '/credentials'), users.alice)
      .expect(200);
    expect(history.body.recentRotations[0]).toMatchObject({
      requestedBy: 'schedule',
      state: 'succeeded',
    });
    await bed.service.runDue();
    expect(
      bed.audits.filter(a => a.eventId === 'credential-rotation-run'),
    ).toHaveLength(6);
    await bed.expectNoPassword(credentials.body, history.body);
  });
});
