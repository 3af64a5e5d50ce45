import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RotationService } from '../rotation/RotationService';
import { DbaasRouter } from '../schema/openapi';

/**
 * Credential age and rotation: `GET .../credentials`,
 * `POST .../credentials/:role/rotate`, `GET /credential-rotations`,
 * `POST /credential-rotations/:id/approve` and `/reject`. HTTP only; the
 * decisions are {@link RotationService}'s.
 */
export function registerRotationRoutes(
  router: DbaasRouter,
  options: { httpAuth: HttpAuthService; rotation: RotationService },
) {
  const { httpAuth, rotation } = options;

  router.get('/databases/:namespace/:name/credentials', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    res.json(await rotation.credentials({ namespace, name }, credentials));
  });

  router.post(
    '/databases/:namespace/:name/credentials/:role/rotate',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const { namespace, name, role } = req.params;
      res.status(201).json(
        await rotation.request({ namespace, name }, role, req.body, {
          credentials,
          request: req,
        }),
      );
    },
  );

  router.get('/credential-rotations', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({
      items: await rotation.list({ state: req.query.state }, credentials),
    });
  });

  router.post('/credential-rotations/:id/approve', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await rotation.approve(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/credential-rotations/:id/reject', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await rotation.reject(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });
}
