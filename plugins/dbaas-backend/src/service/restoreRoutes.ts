import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RestoresService } from '../restores/RestoresService';
import { DbaasRouter } from '../schema/openapi';

/**
 * `POST /databases/:namespace/:name/restores`, `GET /restores`,
 * `GET /restores/:id`, its preview, and the decisions. HTTP only: every
 * rule (who may request, approve, reject, cancel, finalize) is decided by
 * {@link RestoresService},
 * so that the MCP actions get the same answers.
 */
export function registerRestoreRoutes(
  router: DbaasRouter,
  options: { httpAuth: HttpAuthService; restores: RestoresService },
) {
  const { httpAuth, restores } = options;

  router.post('/databases/:namespace/:name/restores', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const created = await restores.create(
      { namespace: req.params.namespace, name: req.params.name },
      req.body,
      { credentials, request: req },
    );
    res.status(201).json(created);
  });

  router.get('/restores', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await restores.list(
      {
        status: req.query.status,
        namespace: req.query.namespace,
        name: req.query.name,
      },
      credentials,
    );
    res.json({ items });
  });

  router.get('/restores/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await restores.get(req.params.id, credentials));
  });

  router.post('/restores/:id/approve', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await restores.approve(req.params.id, req.body ?? {}, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/restores/:id/reject', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await restores.reject(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/restores/:id/cancel', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await restores.cancel(req.params.id, { credentials, request: req }),
    );
  });

  router.get('/restores/:id/preview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await restores.preview(req.params.id, credentials));
  });

  router.get('/restores/:id/copy', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await restores.getCopy(req.params.id, credentials));
  });

  router.post('/restores/:id/copy/keep', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await restores.keepCopy(req.params.id, { credentials, request: req }),
    );
  });

  router.delete('/restores/:id/copy', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await restores.deleteCopy(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/restores/:id/finalize', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await restores.finalize(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });
}
