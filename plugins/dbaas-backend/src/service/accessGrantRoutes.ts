import { HttpAuthService } from '@backstage/backend-plugin-api';
import { AccessGrantsService } from '../accessGrants/AccessGrantsService';
import { DbaasRouter } from '../schema/openapi';

/**
 * Personal access: `GET|POST /databases/:namespace/:name/access-grants`,
 * `GET /access-grants`, `GET /access-grants/:id` and the steps (approve,
 * reject, activate, revoke). HTTP only: every rule is
 * {@link AccessGrantsService}'s, so that the MCP actions get the same
 * answers. Only people act on grants; services may read them.
 */
export function registerAccessGrantRoutes(
  router: DbaasRouter,
  options: { httpAuth: HttpAuthService; accessGrants: AccessGrantsService },
) {
  const { httpAuth, accessGrants } = options;

  router.get('/databases/:namespace/:name/access-grants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await accessGrants.listForDatabase(
        { namespace: req.params.namespace, name: req.params.name },
        { state: req.query.state },
        credentials,
      ),
    );
  });

  router.post('/databases/:namespace/:name/access-grants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res
      .status(201)
      .json(
        await accessGrants.request(
          { namespace: req.params.namespace, name: req.params.name },
          req.body,
          { credentials, request: req },
        ),
      );
  });

  router.get('/access-grants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await accessGrants.list(
      {
        state: req.query.state,
        namespace: req.query.namespace,
        name: req.query.name,
      },
      credentials,
    );
    res.json({ items });
  });

  router.get('/access-grants/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await accessGrants.get(req.params.id, credentials));
  });

  router.post('/access-grants/:id/approve', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await accessGrants.approve(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/access-grants/:id/reject', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await accessGrants.reject(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/access-grants/:id/activate', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const activated = await accessGrants.activate(req.params.id, {
      credentials,
      request: req,
    });
    // The one answer with a password: no cache may keep it.
    res.set('Cache-Control', 'no-store');
    res.json(activated);
  });

  router.post('/access-grants/:id/revoke', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await accessGrants.revoke(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });
}
