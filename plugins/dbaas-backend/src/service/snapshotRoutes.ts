import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { SnapshotsService } from '../snapshots/SnapshotsService';
import { DbaasRouter } from '../schema/openapi';

/**
 * `GET|POST /databases/:namespace/:name/snapshots`: HTTP only, the
 * decisions are {@link SnapshotsService}'.
 */
export function registerSnapshotRoutes(
  router: DbaasRouter,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    snapshots: SnapshotsService;
  },
) {
  const { httpAuth, auditor, snapshots } = options;

  router.get('/databases/:namespace/:name/snapshots', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    res.json(await snapshots.list({ namespace, name }, credentials));
  });

  router.post('/databases/:namespace/:name/snapshots', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    const event = await auditor.createEvent({
      eventId: 'snapshot-create',
      severityLevel: 'medium',
      request: req,
      meta: { namespace, name },
    });
    try {
      const snapshot = await snapshots.take({ namespace, name }, credentials);
      await event.success({
        meta: {
          snapshotId: snapshot.id,
          sizeBytes: snapshot.sizeBytes,
          cluster: snapshot.cluster,
        },
      });
      res.status(201).json(snapshot);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });
}
