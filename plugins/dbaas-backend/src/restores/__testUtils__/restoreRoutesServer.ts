import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { createOpenApiRouter, DbaasRouter } from '../../schema/openapi';
import { registerRestoreRoutes } from '../../service/restoreRoutes';
import { RestoresService } from '../RestoresService';

/**
 * The restore routes over `restores` behind the real HTTP stack (auth,
 * OpenAPI request validation, error mapping), and `call`: a request to
 * them as a user (by entity ref) or as a service.
 */
export async function startRestoreRoutes(restores: RestoresService) {
  const plugin = createBackendPlugin({
    pluginId: 'dbaas',
    register(env) {
      env.registerInit({
        deps: {
          httpAuth: coreServices.httpAuth,
          httpRouter: coreServices.httpRouter,
        },
        async init({ httpAuth, httpRouter }) {
          const router: DbaasRouter = await createOpenApiRouter();
          registerRestoreRoutes(router, { httpAuth, restores });
          httpRouter.use(router);
        },
      });
    },
  });
  const { server } = await startTestBackend({ features: [plugin] });
  const call = (
    method: 'get' | 'post' | 'delete',
    path: string,
    user: string | 'service',
    body?: unknown,
  ) => {
    const r = request(server)
      [method](`/api/dbaas${path}`)
      .set(
        'authorization',
        user === 'service'
          ? mockCredentials.service.header()
          : mockCredentials.user.header(user),
      );
    return body === undefined ? r : r.send(body as object);
  };
  return { server, call };
}
