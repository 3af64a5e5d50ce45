import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { DatabaseRequestValidator } from '../validation/DatabaseRequestValidator';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  requestValidator: DatabaseRequestValidator;
}

/** HTTP only: parse, authorize, call a service, map to a response. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, requestValidator } = options;
  const router = await createOpenApiRouter();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.post('/validate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const problems = await requestValidator.validate(req.body);
    res.json({ valid: problems.length === 0, problems });
  });

  return router;
}
