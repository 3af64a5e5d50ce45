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
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async listTenants(): Promise<Tenant[]> {
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
