import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend with only this plugin, for working on it alone:
//   pnpm --filter @dbaas/plugin-dbaas-backend start
//   curl http://localhost:7007/api/dbaas/health
//   curl http://localhost:7007/api/dbaas/validate -H 'Content-Type: application/json' \
//     -d '{"namespace":"payments","name":"ledger"}'
// Auth is mocked so the API can be called without signing in.
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
