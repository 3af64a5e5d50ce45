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
});
