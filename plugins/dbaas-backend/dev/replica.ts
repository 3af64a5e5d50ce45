import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';

// One replica of a backend with only this plugin, for the two-replica test
// (src/replicas/twoReplicas.test.ts), which starts two of them on one
// PostgreSQL:
//   node -r @backstage/cli/config/nodeTransform.cjs dev/replica.ts --config <file>
// Everything the plugin's cycles and restores use is Backstage's own
// (scheduler, database, lifecycle, logger, HTTP server); only who the caller
// is (mock tokens, as in dev/index.ts: `mock-user-token:{"sub":"user:..."}`),
// the catalog (empty) and the notifications (a log line) are stand-ins.
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(mockServices.userInfo.factory());
backend.add(catalogServiceMock.factory({ entities: [] }));
backend.add(
  createServiceFactory({
    service: notificationService,
    deps: { logger: coreServices.logger },
    factory: ({ logger }) => ({
      send: async options => {
        logger.debug(`Notification: ${options.payload.title}`);
      },
    }),
  }),
);
backend.add(import('../src'));
backend.start();

// A replica whose starter went away (the test process died) stops too,
// rather than running on against a database about to be dropped.
if (process.env.DBAAS_REPLICA_STOP_WITH_STDIN) {
  process.stdin.on('end', () => process.exit(1));
  process.stdin.resume();
}
