import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DbaasClient } from './DbaasClient';

const baseUrl = 'http://backstage.test/api/dbaas';

describe('DbaasClient, credential rotation', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new DbaasClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch(),
  });

  it('reads the credentials and posts a rotation with its reason', async () => {
    let body: unknown;
    server.use(
      http.get(`${baseUrl}/databases/payments/ledger/credentials`, () =>
        HttpResponse.json({ namespace: 'payments', roles: [] }),
      ),
      http.post(
        `${baseUrl}/databases/payments/ledger/credentials/write/rotate`,
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(
            { id: 'r1', state: 'succeeded' },
            {
              status: 201,
            },
          );
        },
      ),
    );
    const ref = { namespace: 'payments', name: 'ledger' };
    await expect(client.getDatabaseCredentials(ref)).resolves.toEqual({
      namespace: 'payments',
      roles: [],
    });
    await expect(
      client.rotateCredential(ref, 'write', { reason: 'leaked' }),
    ).resolves.toEqual({ id: 'r1', state: 'succeeded' });
    expect(body).toEqual({ reason: 'leaked' });
  });

  it('lists, approves and rejects rotations, and surfaces a refusal', async () => {
    const bodies: unknown[] = [];
    let state: string | null = null;
    server.use(
      http.get(`${baseUrl}/credential-rotations`, ({ request }) => {
        state = new URL(request.url).searchParams.get('state');
        return HttpResponse.json({ items: [] });
      }),
      http.post(
        `${baseUrl}/credential-rotations/a%2Fb/approve`,
        async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json({ id: 'a/b', state: 'succeeded' });
        },
      ),
      http.post(`${baseUrl}/credential-rotations/r2/reject`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Nobody rejects their own',
            },
            request: { method: 'POST', url: '/x' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client.listCredentialRotations({ state: 'pending-approval' }),
    ).resolves.toEqual({ items: [] });
    expect(state).toBe('pending-approval');
    await client.approveCredentialRotation('a/b', 'fine');
    expect(bodies).toEqual([{ comment: 'fine' }]);
    const error = await client
      .rejectCredentialRotation('r2', 'no')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.cause.message).toBe('Nobody rejects their own');
  });
});
