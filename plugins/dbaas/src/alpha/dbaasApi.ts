import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { dbaasApiRef } from '../api/DbaasApi';
import { DbaasClient } from '../api/DbaasClient';

/** Provides {@link dbaasApiRef}, backed by the dbaas backend. */
export const dbaasApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dbaasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DbaasClient({ discoveryApi, fetchApi }),
    }),
});
