import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { validateNamespace } from '@dbaas/plugin-dbaas-common';
import { Tenant, TenantDirectory } from './TenantDirectory';

/**
 * Annotation on a catalog Group listing the namespaces it owns as tenants,
 * comma-separated: `dbaas.io/namespaces: payments, payments-batch`.
 *
 * @public
 */
export const DBAAS_NAMESPACES_ANNOTATION = 'dbaas.io/namespaces';

/**
 * Tenants from the catalog: each Group carrying `dbaas.io/namespaces` owns
 * those namespaces.
 *
 * @public
 */
export class CatalogTenantDirectory implements TenantDirectory {
  private lastGood?: { at: number; tenants: Tenant[] };

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly options: {
      /**
       * How long one read of the catalog is reused: every API call asks for
       * tenants, the catalog changes rarely. @defaultValue 30 000 ms
       */
      cacheTtlMs?: number;
      now?: () => number;
    } = {},
  ) {}

  /**
   * Groups owning tenants, read at most once per `cacheTtlMs`. While the
   * catalog cannot be reached the last good answer is kept, so a catalog
   * outage does not take tenant ownership (and with it every permission
   * decision) away; with no good answer yet the error is thrown.
   */
  async listTenants(): Promise<Tenant[]> {
    const now = this.options.now?.() ?? Date.now();
    if (
      this.lastGood &&
      now - this.lastGood.at < (this.options.cacheTtlMs ?? 30_000)
    ) {
      return this.lastGood.tenants;
    }
    try {
      const tenants = await this.readCatalog();
      this.lastGood = { at: now, tenants };
      return tenants;
    } catch (error) {
      if (this.lastGood) {
        return this.lastGood.tenants;
      }
      throw error;
    }
  }

  private async readCatalog(): Promise<Tenant[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Group',
          [`metadata.annotations.${DBAAS_NAMESPACES_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items.flatMap(group => {
      const owner = stringifyEntityRef(group);
      return (
        (group.metadata.annotations?.[DBAAS_NAMESPACES_ANNOTATION] ?? '')
          .split(',')
          .map(namespace => namespace.trim())
          // A malformed annotation must not make every tenant disappear; the
          // namespace is simply not a tenant.
          .filter(
            namespace =>
              namespace !== '' &&
              validateNamespace(namespace, { reservedNamespaces: [] })
                .length === 0,
          )
          .map(namespace => ({ namespace, owners: [owner] }))
      );
    });
  }
}
