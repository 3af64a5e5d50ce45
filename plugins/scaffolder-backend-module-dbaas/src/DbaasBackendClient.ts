import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DatabaseRef, NamingProblem } from '@dbaas/plugin-dbaas-common';

/**
 * The dbaas backend's answer to "may this database be requested?".
 *
 * @public
 */
export interface DbaasRequestCheck {
  problems: NamingProblem[];
  /**
   * Set when the backend answered from its inventory (no GitHub call): when
   * that last synced, and the base head it read (to build the request on).
   */
  inventory?: { syncedAt: Date; baseSha?: string };
}

/**
 * Calls the dbaas backend plugin as this module's own service principal
 * (discovery `dbaas`, a plugin request token).
 */
export class DbaasBackendClient {
  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {}

  /** `POST /validate`: answered from the inventory once it has synced. */
  async checkRequest(ref: DatabaseRef): Promise<DbaasRequestCheck> {
    const response = await this.#fetch('/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: ref.namespace, name: ref.name }),
    });
    const body = await response.json();
    if (!body || !Array.isArray(body.problems)) {
      throw new Error('The dbaas backend answered /validate without problems');
    }
    const inventory = body.inventory;
    const syncedAt = new Date(inventory?.syncedAt);
    return {
      problems: body.problems,
      ...(inventory && !isNaN(syncedAt.getTime())
        ? {
            inventory: {
              syncedAt,
              ...(typeof inventory.baseSha === 'string'
                ? { baseSha: inventory.baseSha }
                : {}),
            },
          }
        : {}),
    };
  }

  /** `POST /refresh`: asks for an inventory cycle now. */
  async refreshInventory(): Promise<void> {
    await this.#fetch('/refresh', { method: 'POST' });
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const { auth, discovery } = this.deps;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'dbaas',
    });
    const response = await fetch(
      `${await discovery.getBaseUrl('dbaas')}${path}`,
      {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
