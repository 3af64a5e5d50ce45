import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { dbaasInventoryRefreshPermission } from '@dbaas/plugin-dbaas-common';
import { InventorySyncTask, SyncRequestOutcome } from './scheduleInventorySync';

/**
 * `POST /refresh`: a caller with `dbaas.inventory.refresh` asks for an
 * inventory cycle. A user needs the policy's ALLOW; a service principal
 * (the scaffolder module after each pull request) is allowed by
 * Backstage's permission client unless its access restrictions exclude
 * the permission. Calls coalesce in {@link InventorySyncTask.requestSync},
 * so a caller cannot start more cycles than the debounce allows.
 */
export class InventoryRefreshService {
  constructor(
    private readonly access: {
      isAllowed(
        permission: BasicPermission,
        credentials: BackstageCredentials,
      ): Promise<boolean>;
    },
    private readonly task: Pick<InventorySyncTask, 'requestSync'>,
  ) {}

  async refresh(
    credentials: BackstageCredentials,
  ): Promise<SyncRequestOutcome> {
    if (
      !(await this.access.isAllowed(
        dbaasInventoryRefreshPermission,
        credentials,
      ))
    ) {
      throw new NotAllowedError('You may not refresh the inventory');
    }
    return this.task.requestSync('refresh');
  }
}
