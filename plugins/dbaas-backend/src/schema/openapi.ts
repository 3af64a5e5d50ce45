import {
  ApiRouter,
  createValidatedOpenApiRouter,
} from '@backstage/backend-openapi-utils';
import { spec } from './openapi.generated';

/** The plugin's express router, typed and validated by `openapi.yaml`. */
export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);

export { spec };

/**
 * The typed router, named once: each capability's routes take it (deriving
 * it from the factory's return type in several files makes tsc give up with
 * TS2589).
 */
export type DbaasRouter = ApiRouter<typeof spec>;
