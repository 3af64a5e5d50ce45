/**
 * An owner entity ref as people read it: the kind is left out for groups
 * and the namespace when it is `default`, so `group:default/payments` reads
 * `payments` and `user:default/jane` reads `user:jane`.
 */
export function formatOwner(ref: string): string {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref);
  if (!match) {
    return ref;
  }
  const [, kind, namespace, name] = match;
  const shownNamespace =
    namespace && namespace !== 'default' ? `${namespace}/` : '';
  const shownKind =
    kind && kind.toLocaleLowerCase('en-US') !== 'group' ? `${kind}:` : '';
  return `${shownKind}${shownNamespace}${name}`;
}

/** `Owned by payments, platform`, or a note when no one is listed. */
export function describeOwners(owners: string[]): string {
  return owners.length === 0
    ? 'No owner listed'
    : `Owned by ${owners.map(formatOwner).join(', ')}`;
}
