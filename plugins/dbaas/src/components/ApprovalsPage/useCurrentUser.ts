import { useEffect, useState } from 'react';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';

/**
 * The signed-in user's entity ref, undefined until known. Used only to
 * explain why a request cannot be approved: the backend decides.
 */
export function useCurrentUser(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const [userEntityRef, setUserEntityRef] = useState<string>();
  useEffect(() => {
    let mounted = true;
    identityApi.getBackstageIdentity().then(
      identity => mounted && setUserEntityRef(identity.userEntityRef),
      // Without an identity the notes are left out; the buttons still
      // follow the backend's allowedActions.
      () => undefined,
    );
    return () => {
      mounted = false;
    };
  }, [identityApi]);
  return userEntityRef;
}
