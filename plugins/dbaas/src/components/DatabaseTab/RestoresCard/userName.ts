import { parseEntityRef } from '@backstage/catalog-model';

/** `alice` for `user:default/alice`, `ops/bob` outside the default namespace. */
export function userName(entityRef: string): string {
  try {
    const { namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return entityRef;
  }
}
