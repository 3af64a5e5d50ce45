import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { validateNamespace } from '@dbaas/plugin-dbaas-common';
import { Tenant, TenantDirectory } from './TenantDirectory';

/**
 * Tenants from `dbaas.tenants[]`: the fallback where the catalog does not
 * say who owns a namespace.
 *
 * @public
 */
export class ConfigTenantDirectory implements TenantDirectory {
  static fromConfig(config: Config): ConfigTenantDirectory {
    const tenants = (config.getOptionalConfigArray('dbaas.tenants') ?? []).map(
      (entry, index) => {
        const namespace = entry.getString('namespace');
        // Reserved namespaces are refused when databases are requested, not
        // here: a platform team may list them to give them an owner.
        const problems = validateNamespace(namespace, {
          reservedNamespaces: [],
        });
        if (problems.length > 0) {
          throw new InputError(
            `dbaas.tenants[${index}].namespace: ${problems
              .map(p => p.message)
              .join('; ')}`,
          );
        }
        const owner = entry.getString('owner');
        let ownerRef: string;
        try {
          ownerRef = stringifyEntityRef(
            parseEntityRef(owner, { defaultKind: 'group' }),
          );
        } catch (error) {
          throw new InputError(
            `dbaas.tenants[${index}].owner: '${owner}' is not an entity ref (${error})`,
          );
        }
        return {
          namespace,
          owners: [ownerRef],
          budget: entry.getOptionalNumber('budget'),
        };
      },
    );
    return new ConfigTenantDirectory(tenants);
  }

  constructor(private readonly tenants: Tenant[]) {}

  async listTenants(): Promise<Tenant[]> {
    return this.tenants;
  }
}
