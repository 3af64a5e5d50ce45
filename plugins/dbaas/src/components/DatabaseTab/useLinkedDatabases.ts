import { useCallback, useMemo } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  LinkedDatabases,
  databaseCandidateRefs,
  linkedDatabases,
} from './linkedDatabases';
import { LoadState, useAbortableLoad } from '../common/useAbortableLoad';

/** Only what deciding whether a Resource is a database needs. */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
];

/**
 * The databases an entity leads to. Asks the catalog for the Resources a
 * Component depends on, and only when there are some.
 */
export function useLinkedDatabases(
  entity: Entity,
): LoadState<LinkedDatabases> & { retry: () => void } {
  const catalogApi = useApi(catalogApiRef);
  const candidateRefs = useMemo(() => databaseCandidateRefs(entity), [entity]);
  const load = useCallback(async () => {
    if (candidateRefs.length === 0) {
      return linkedDatabases(entity, []);
    }
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: candidateRefs,
      fields: FIELDS,
    });
    return linkedDatabases(entity, items);
  }, [catalogApi, entity, candidateRefs]);
  return useAbortableLoad(load);
}
