import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * Who is who for the dbaas policy: entity refs of groups (or users),
 * compared with the ownership refs of the signed-in user.
 *
 * @public
 */
export interface DbaasPolicyRoles {
  /**
   * `permission.dbaas.platformGroups`: every tenant's connections, restore
   * requests and billing, and restore approvals.
   */
  platformGroups: string[];
  /**
   * `dbaas.restore.approvers`: may approve restores (the platform groups
   * may too).
   */
  restoreApproverGroups: string[];
}

/**
 * Reads the roles from config. Refs are read as `dbaas.tenants[].owner` is:
 * the kind defaults to group and the namespace to default
 * (`platform` is `group:default/platform`). A ref that cannot be an
 * ownership ref (malformed, or of another kind than group or user) is
 * refused here, at startup, rather than silently matching nobody.
 */
export function readDbaasPolicyRoles(config: Config): DbaasPolicyRoles {
  return {
    platformGroups: readOwnershipRefs(
      config,
      'permission.dbaas.platformGroups',
    ),
    restoreApproverGroups: readOwnershipRefs(config, 'dbaas.restore.approvers'),
  };
}

function readOwnershipRefs(config: Config, key: string): string[] {
  const refs = config.getOptionalStringArray(key) ?? [];
  return refs.map((ref, index) => {
    const where = `${key}[${index}]`;
    let kind: string;
    let normalized: string;
    try {
      const parsed = parseEntityRef(ref, { defaultKind: 'group' });
      kind = parsed.kind.toLocaleLowerCase('en-US');
      normalized = stringifyEntityRef(parsed);
    } catch (error) {
      throw new InputError(
        `${where} '${ref}' is not a group ref such as group:default/platform: ${
          (error as Error).message
        }`,
      );
    }
    if (kind !== 'group' && kind !== 'user') {
      throw new InputError(
        `${where} '${ref}' must name a group or a user (group:<namespace>/<name>), not a ${kind}`,
      );
    }
    return normalized;
  });
}
