import { Config } from '@backstage/config';
import {
  DEFAULT_RESERVED_NAMESPACES,
  NamingProblem,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';

/**
 * Decides whether a (namespace, name) pair may be requested. Today: the
 * naming rules with the configured reserved namespaces.
 */
export class DatabaseRequestValidator {
  static fromConfig(config: Config): DatabaseRequestValidator {
    const reservedNamespaces =
      config.getOptionalStringArray('dbaas.naming.reservedNamespaces') ??
      DEFAULT_RESERVED_NAMESPACES;
    return new DatabaseRequestValidator(reservedNamespaces);
  }

  constructor(private readonly reservedNamespaces: readonly string[]) {}

  async validate(request: {
    namespace: string;
    name: string;
  }): Promise<NamingProblem[]> {
    return validateDatabaseRequest(request, {
      reservedNamespaces: [...this.reservedNamespaces],
    });
  }
}
