import { ApiRouter } from '@backstage/backend-openapi-utils';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { BillingService } from '../billing/BillingService';
import { spec } from '../schema/openapi';

/**
 * `GET /billing`, `/billing/export.csv` and `/billing/:namespace`: HTTP
 * only; who sees what is decided by {@link BillingService}.
 */
export function registerBillingRoutes(
  router: ApiRouter<typeof spec>,
  options: { httpAuth: HttpAuthService; billing: BillingService },
): void {
  const { httpAuth, billing } = options;

  router.get('/billing', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await billing.overview(req.query.month, credentials));
  });

  // Before '/billing/:namespace', which would otherwise match it.
  router.get('/billing/export.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const file = await billing.csv(
      req.query.month,
      req.query.namespace,
      credentials,
      req.query.format,
    );
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    // The name holds a validated month and namespace only: nothing to escape.
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${file.filename}"`,
    );
    res.send(file.body);
  });

  router.get('/billing/:namespace', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await billing.tenant(req.params.namespace, req.query.month, credentials),
    );
  });
}
