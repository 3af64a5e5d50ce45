import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';

/** How often the page asks the catalog until the entity is there. */
export const ENTITY_POLL_MS = 5000;

/**
 * Whether the catalog has the entity yet, asked again every
 * {@link ENTITY_POLL_MS} until it has; `undefined` until the first answer,
 * and while `entityRef` is undefined.
 */
export function useCatalogEntityPresence(
  entityRef: string | undefined,
): boolean | undefined {
  const catalogApi = useApi(catalogApiRef);
  const [present, setPresent] = useState<{ ref: string; found: boolean }>();

  useEffect(() => {
    if (entityRef === undefined) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      let found = false;
      try {
        found = (await catalogApi.getEntityByRef(entityRef)) !== undefined;
      } catch {
        // Asked again below; the page says the entity is not there yet.
      }
      if (stopped) return;
      setPresent({ ref: entityRef, found });
      if (!found) {
        timer = setTimeout(run, ENTITY_POLL_MS);
      }
    };
    run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [catalogApi, entityRef]);

  return entityRef !== undefined && present?.ref === entityRef
    ? present.found
    : undefined;
}
