import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DbaasClient } from './DbaasClient';

const baseUrl = 'http://backstage.test/api/dbaas';

describe('DbaasClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new DbaasClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch(),
  });

  it('reads the health of the backend', async () => {
    server.use(
      http.get(`${baseUrl}/health`, () => HttpResponse.json({ status: 'ok' })),
    );

    await expect(client.health()).resolves.toEqual({ status: 'ok' });
  });

  it('posts the pair to /validate and returns the problems', async () => {
    let received: unknown;
    server.use(
      http.post(`${baseUrl}/validate`, async ({ request }) => {
        received = await request.json();
        return HttpResponse.json({
          valid: false,
          problems: [
            {
              field: 'name',
              rule: 'collision',
              message: "'team-a'+'b' collides with 'team'+'a-b'",
            },
          ],
        });
      }),
    );

    const response = await client.validateDatabase({
      namespace: 'team-a',
      name: 'b',
    });

    expect(received).toEqual({ namespace: 'team-a', name: 'b' });
    expect(response).toEqual({
      valid: false,
      problems: [
        {
          field: 'name',
          rule: 'collision',
          message: "'team-a'+'b' collides with 'team'+'a-b'",
        },
      ],
    });
  });

  it('throws a ResponseError that carries the server message on 400', async () => {
    server.use(
      http.post(`${baseUrl}/validate`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: "request/body must have required property 'namespace'",
            },
            request: { method: 'POST', url: '/api/dbaas/validate' },
            response: { statusCode: 400 },
          },
          { status: 400, statusText: 'Bad Request' },
        ),
      ),
    );

    const error = await client
      .validateDatabase({ namespace: '', name: 'db' })
      .then(
        () => undefined,
        e => e,
      );

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause).toMatchObject({
      name: 'InputError',
      message: "request/body must have required property 'namespace'",
    });
  });

  describe('listTenants', () => {
    const items = [
      { namespace: 'payments', owners: ['group:default/payments'] },
      {
        namespace: 'shared',
        owners: ['group:default/payments', 'group:default/platform'],
      },
    ];

    it('asks for the tenants the caller owns with owned=true', async () => {
      let query: string | undefined;
      server.use(
        http.get(`${baseUrl}/tenants`, ({ request }) => {
          query = new URL(request.url).search;
          return HttpResponse.json({ items });
        }),
      );

      await expect(client.listTenants({ owned: true })).resolves.toEqual({
        items,
      });
      expect(query).toBe('?owned=true');
    });

    it('asks for every tenant without a query, since the backend reads any owned value as true', async () => {
      const queries: string[] = [];
      server.use(
        http.get(`${baseUrl}/tenants`, ({ request }) => {
          queries.push(new URL(request.url).search);
          return HttpResponse.json({ items });
        }),
      );

      await expect(client.listTenants()).resolves.toEqual({ items });
      await expect(client.listTenants({ owned: false })).resolves.toEqual({
        items,
      });
      expect(queries).toEqual(['', '']);
    });

    it('throws a ResponseError that carries the server message on 401', async () => {
      server.use(
        http.get(`${baseUrl}/tenants`, () =>
          HttpResponse.json(
            {
              error: { name: 'AuthenticationError', message: 'Missing token' },
              request: { method: 'GET', url: '/api/dbaas/tenants' },
              response: { statusCode: 401 },
            },
            { status: 401, statusText: 'Unauthorized' },
          ),
        ),
      );

      const error = await client.listTenants({ owned: true }).then(
        () => undefined,
        e => e,
      );

      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(401);
      expect(error.cause).toMatchObject({
        name: 'AuthenticationError',
        message: 'Missing token',
      });
    });

    it('passes the abort signal to fetch', async () => {
      const fetch = jest.fn(async () => HttpResponse.json({ items: [] }));
      const fakeFetchClient = new DbaasClient({
        discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
        fetchApi: { fetch },
      });
      const controller = new AbortController();

      await fakeFetchClient.listTenants({
        owned: true,
        signal: controller.signal,
      });

      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/tenants?owned=true`,
        expect.objectContaining({ signal: controller.signal }),
      );
    });
  });

  it('passes the abort signal to fetch', async () => {
    const fetch = jest.fn(async () => HttpResponse.json({ status: 'ok' }));
    const fakeFetchClient = new DbaasClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
      fetchApi: { fetch },
    });
    const controller = new AbortController();

    await fakeFetchClient.validateDatabase(
      { namespace: 'team-a', name: 'db' },
      { signal: controller.signal },
    );

    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/validate`,
      expect.objectContaining({ method: 'POST', signal: controller.signal }),
    );
  });

  it('rejects with an AbortError when the caller aborts', async () => {
    server.use(
      http.post(`${baseUrl}/validate`, async () => {
        await delay('infinite');
        return HttpResponse.json({ valid: true, problems: [] });
      }),
    );
    const controller = new AbortController();

    const pending = client.validateDatabase(
      { namespace: 'team-a', name: 'db' },
      { signal: controller.signal },
    );
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
  describe('getDatabaseMetrics', () => {
    const metrics = {
      resolution: 'hour',
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-08T00:00:00.000Z',
      maxConnections: 100,
      points: [{ at: '2025-03-01T00:00:00.000Z', connections: 4, samples: 60 }],
    };

    it('asks for the range as ISO timestamps, escaping the ref', async () => {
      let url: URL | undefined;
      server.use(
        http.get(
          `${baseUrl}/databases/:namespace/:name/metrics`,
          ({ request }) => {
            url = new URL(request.url);
            return HttpResponse.json(metrics);
          },
        ),
      );

      const response = await client.getDatabaseMetrics(
        { namespace: 'team a', name: 'ledger/x' },
        {
          from: new Date('2025-03-01T00:00:00Z'),
          to: new Date('2025-03-08T00:00:00Z'),
        },
      );

      expect(response).toEqual(metrics);
      expect(url?.pathname).toBe(
        '/api/dbaas/databases/team%20a/ledger%2Fx/metrics',
      );
      expect(url?.searchParams.get('from')).toBe('2025-03-01T00:00:00.000Z');
      expect(url?.searchParams.get('to')).toBe('2025-03-08T00:00:00.000Z');
    });

    it('leaves the range to the backend when not given, and passes the signal', async () => {
      const fetch = jest.fn(async () => HttpResponse.json(metrics));
      const fakeFetchClient = new DbaasClient({
        discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
        fetchApi: { fetch },
      });
      const controller = new AbortController();

      await fakeFetchClient.getDatabaseMetrics(
        { namespace: 'payments', name: 'ledger' },
        { signal: controller.signal },
      );

      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/databases/payments/ledger/metrics`,
        expect.objectContaining({ signal: controller.signal }),
      );
    });

    it('throws a ResponseError on 403', async () => {
      server.use(
        http.get(`${baseUrl}/databases/payments/ledger/metrics`, () =>
          HttpResponse.json(
            {
              error: { name: 'NotAllowedError', message: 'Unauthorized' },
              response: { statusCode: 403 },
            },
            { status: 403, statusText: 'Forbidden' },
          ),
        ),
      );

      const error = await client
        .getDatabaseMetrics({ namespace: 'payments', name: 'ledger' })
        .catch(e => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
    });
  });

  describe('getRecovery', () => {
    it('reads the objectives of a database, escaping the ref', async () => {
      let path: string | undefined;
      server.use(
        http.get(
          `${baseUrl}/databases/:namespace/:name/recovery`,
          ({ request }) => {
            path = new URL(request.url).pathname;
            return HttpResponse.json({ namespace: 'team a', drills: [] });
          },
        ),
      );
      await expect(
        client.getRecovery({ namespace: 'team a', name: 'ledger/x' }),
      ).resolves.toEqual({ namespace: 'team a', drills: [] });
      expect(path).toBe('/api/dbaas/databases/team%20a/ledger%2Fx/recovery');
    });

    it('throws a ResponseError with the reason on 403', async () => {
      server.use(
        http.get(`${baseUrl}/databases/payments/ledger/recovery`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message: 'You may not see payments/ledger',
              },
              response: { statusCode: 403 },
            },
            { status: 403, statusText: 'Forbidden' },
          ),
        ),
      );
      const error = await client
        .getRecovery({ namespace: 'payments', name: 'ledger' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.body.error.message).toBe('You may not see payments/ledger');
    });
  });

  describe('finalizing a restore', () => {
    it('reads the preview of a restore, escaping its id', async () => {
      server.use(
        http.get(`${baseUrl}/restores/r%2F1/preview`, () =>
          HttpResponse.json({ restoreId: 'r/1', tables: [] }),
        ),
      );

      await expect(client.getRestorePreview('r/1')).resolves.toEqual({
        restoreId: 'r/1',
        tables: [],
      });
    });

    it('posts the finalize with its comment, and an empty body without one', async () => {
      const bodies: unknown[] = [];
      server.use(
        http.post(`${baseUrl}/restores/r-1/finalize`, async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json({ id: 'r-1', state: 'running' });
        }),
      );

      await expect(
        client.finalizeRestore('r-1', { comment: 'checked' }),
      ).resolves.toEqual({ id: 'r-1', state: 'running' });
      await client.finalizeRestore('r-1');
      expect(bodies).toEqual([{ comment: 'checked' }, {}]);
    });

    it('throws a ResponseError with the reason on 403', async () => {
      server.use(
        http.post(`${baseUrl}/restores/r-1/finalize`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message: 'an approver finalizes its restore',
              },
              response: { statusCode: 403 },
            },
            { status: 403, statusText: 'Forbidden' },
          ),
        ),
      );

      const error = await client.finalizeRestore('r-1').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.body.error.message).toBe(
        'an approver finalizes its restore',
      );
    });
  });
  describe('personal access', () => {
    it('lists, asks, decides, activates and revokes on the access-grant routes', async () => {
      const seen: string[] = [];
      const bodies: unknown[] = [];
      const record = async ({ request }: { request: Request }) => {
        seen.push(
          `${request.method} ${new URL(request.url).pathname}${
            new URL(request.url).search
          }`,
        );
        const text = await request.text();
        bodies.push(text ? JSON.parse(text) : undefined);
        return HttpResponse.json({ items: [] });
      };
      server.use(
        http.get(`${baseUrl}/databases/:ns/:name/access-grants`, record),
        http.post(`${baseUrl}/databases/:ns/:name/access-grants`, record),
        http.get(`${baseUrl}/access-grants`, record),
        http.post(`${baseUrl}/access-grants/:id/:step`, record),
      );
      const ref = { namespace: 'payments', name: 'led ger' };
      await client.listDatabaseAccessGrants(ref, { state: 'active' });
      await client.requestAccess(ref, {
        access: 'read',
        durationMinutes: 30,
        reason: 'why',
      });
      await client.listAccessGrants({ state: 'pending' });
      await client.approveAccessGrant('g/1');
      await client.rejectAccessGrant('g1', 'no');
      await client.activateAccessGrant('g1');
      await client.revokeAccessGrant('g1', 'done');
      expect(seen).toEqual([
        'GET /api/dbaas/databases/payments/led%20ger/access-grants?state=active',
        'POST /api/dbaas/databases/payments/led%20ger/access-grants',
        'GET /api/dbaas/access-grants?state=pending',
        'POST /api/dbaas/access-grants/g%2F1/approve',
        'POST /api/dbaas/access-grants/g1/reject',
        'POST /api/dbaas/access-grants/g1/activate',
        'POST /api/dbaas/access-grants/g1/revoke',
      ]);
      expect(bodies).toEqual([
        undefined,
        { access: 'read', durationMinutes: 30, reason: 'why' },
        undefined,
        {},
        { reason: 'no' },
        undefined,
        { reason: 'done' },
      ]);
    });
  });

  describe('restored copies', () => {
    it('reads, keeps and deletes the copy of a restore, escaping its id', async () => {
      const calls: Array<{ method: string; body?: unknown }> = [];
      server.use(
        http.get(`${baseUrl}/restores/r%2F1/copy`, () =>
          HttpResponse.json({ restoreId: 'r/1', state: 'expiring' }),
        ),
        http.post(`${baseUrl}/restores/r%2F1/copy/keep`, ({ request }) => {
          calls.push({ method: request.method });
          return HttpResponse.json({ restoreId: 'r/1', state: 'kept' });
        }),
        http.delete(`${baseUrl}/restores/r%2F1/copy`, async ({ request }) => {
          calls.push({ method: request.method, body: await request.json() });
          return HttpResponse.json({ restoreId: 'r/1', state: 'dropped' });
        }),
      );

      await expect(client.getRestoredCopy('r/1')).resolves.toEqual({
        restoreId: 'r/1',
        state: 'expiring',
      });
      await expect(client.keepRestoredCopy('r/1')).resolves.toMatchObject({
        state: 'kept',
      });
      await expect(
        client.deleteRestoredCopy('r/1', 'payments-ledger-copy'),
      ).resolves.toMatchObject({ state: 'dropped' });
      expect(calls).toEqual([
        { method: 'POST' },
        { method: 'DELETE', body: { confirm: 'payments-ledger-copy' } },
      ]);
    });

    it('throws a ResponseError with the reason on 409', async () => {
      server.use(
        http.post(`${baseUrl}/restores/r-1/copy/keep`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'ConflictError',
                message: 'The copy payments-x was dropped',
              },
              response: { statusCode: 409 },
            },
            { status: 409, statusText: 'Conflict' },
          ),
        ),
      );
      const error = await client.keepRestoredCopy('r-1').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toBe('The copy payments-x was dropped');
    });
  });
});
