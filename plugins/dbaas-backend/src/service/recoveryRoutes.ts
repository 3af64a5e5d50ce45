import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RecoveryService } from '../objectives/RecoveryService';
import { DbaasRouter } from '../schema/openapi';

/**
 * `GET /databases/:namespace/:name/recovery`: HTTP only, the decisions are
 * {@link RecoveryService}'s.
 */
export function registerRecoveryRoutes(
  router: DbaasRouter,
  options: { httpAuth: HttpAuthService; recovery: RecoveryService },
) {
  const { httpAuth, recovery } = options;
  router.get('/databases/:namespace/:name/recovery', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    res.json(await recovery.recovery({ namespace, name }, credentials));
  });
}
