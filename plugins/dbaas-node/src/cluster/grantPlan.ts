/** One privilege as `aclexplode` reports it; grantee `PUBLIC` for everyone. */
export interface AclEntry {
  grantee: string;
  privilege: string;
}

/** Privileges to grant to or revoke from one grantee. */
export interface AclChange {
  grantee: string;
  privileges: string[];
}

/**
 * Compares an object's ACL with what it should be, so the provisioner only
 * runs GRANT/REVOKE when something differs and a second reconcile changes
 * (and reports) nothing.
 *
 * - `wanted`: grantee -> privileges it must hold (missing ones are granted).
 * - `revokeExtra`: grantees that must hold nothing beyond `wanted`; any
 *   other privilege they hold is revoked. Grantees not listed keep extra
 *   privileges someone gave them on purpose.
 */
export function grantPlan(
  current: AclEntry[],
  wanted: Record<string, readonly string[]>,
  options: { revokeExtra: readonly string[] },
): { grant: AclChange[]; revoke: AclChange[] } {
  const held = new Map<string, Set<string>>();
  for (const { grantee, privilege } of current) {
    if (!held.has(grantee)) {
      held.set(grantee, new Set());
    }
    held.get(grantee)!.add(privilege);
  }

  const grant: AclChange[] = [];
  for (const [grantee, privileges] of Object.entries(wanted)) {
    const has = held.get(grantee) ?? new Set<string>();
    const missing = privileges.filter(p => !has.has(p));
    if (missing.length > 0) {
      grant.push({ grantee, privileges: missing });
    }
  }

  const revoke: AclChange[] = [];
  for (const grantee of options.revokeExtra) {
    const allowed = new Set(wanted[grantee] ?? []);
    const extra = [...(held.get(grantee) ?? [])].filter(p => !allowed.has(p));
    if (extra.length > 0) {
      revoke.push({ grantee, privileges: extra.sort() });
    }
  }
  return { grant, revoke };
}
