import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import {
  LOCAL_USER_STORAGE_KEY,
  LocalUsersSignInPage,
} from './LocalUsersSignInPage';

const config = {
  backend: { baseUrl: 'http://localhost:7007' },
  app: {
    signIn: {
      localUsers: [
        { userEntityRef: 'user:default/guest', title: 'Guest Developer' },
        {
          userEntityRef: 'user:default/pat',
          title: 'Pat (platform)',
          description: 'Approves restores.',
        },
      ],
    },
  },
};

// The identity reads the token's expiry, so it must look like a JWT.
const base64Url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const token = `${base64Url({ alg: 'none' })}.${base64Url({
  sub: 'user:default/pat',
  exp: Math.floor(Date.now() / 1000) + 3600,
})}.signature`;

const session = {
  providerInfo: {},
  profile: {},
  backstageIdentity: {
    token,
    expiresInSeconds: 3600,
    identity: {
      type: 'user',
      userEntityRef: 'user:default/pat',
      ownershipEntityRefs: ['user:default/pat', 'group:default/platform'],
    },
  },
};

describe('LocalUsersSignInPage', () => {
  const fetchSpy = jest.spyOn(global, 'fetch');

  beforeEach(() => {
    localStorage.clear();
    fetchSpy.mockReset();
    fetchSpy.mockResolvedValue(
      new Response(JSON.stringify(session), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  });

  afterAll(() => fetchSpy.mockRestore());

  it('lists the configured users and signs in as the one chosen', async () => {
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <LocalUsersSignInPage onSignInSuccess={onSignInSuccess} />,
      { config },
    );

    expect(screen.getByText('Guest Developer')).toBeInTheDocument();
    expect(screen.getByText('Approves restores.')).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', { name: 'Sign in as Pat (platform)' }),
      );
    });

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    const [url, init] = fetchSpy.mock.calls[0];
    expect(String(url)).toMatch(/\/api\/auth\/localUsers\/refresh$/);
    expect(new Headers(init?.headers).get('x-portal-local-user')).toBe(
      'user:default/pat',
    );
    expect(localStorage.getItem(LOCAL_USER_STORAGE_KEY)).toBe(
      'user:default/pat',
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    await expect(identity.getBackstageIdentity()).resolves.toEqual(
      expect.objectContaining({ userEntityRef: 'user:default/pat' }),
    );
  });

  it('signs the remembered user in again without asking', async () => {
    localStorage.setItem(LOCAL_USER_STORAGE_KEY, 'user:default/guest');
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <LocalUsersSignInPage onSignInSuccess={onSignInSuccess} />,
      { config },
    );

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(screen.queryByText('Pat (platform)')).not.toBeInTheDocument();
  });

  it('asks again when the remembered user is no longer offered', async () => {
    localStorage.setItem(LOCAL_USER_STORAGE_KEY, 'user:default/someone-else');
    await renderInTestApp(
      <LocalUsersSignInPage onSignInSuccess={jest.fn()} />,
      {
        config,
      },
    );

    expect(screen.getByText('Pat (platform)')).toBeInTheDocument();
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
