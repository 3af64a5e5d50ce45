import { InputError, NotAllowedError } from '@backstage/errors';
import {
  DatabaseRef,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';

/**
 * The naming rules, before anything touches the apps repository: a broken
 * rule is a 400 naming every problem; a reserved namespace is a 403.
 */
export function checkDatabaseRef(
  ref: DatabaseRef,
  reservedNamespaces: readonly string[],
): void {
  const problems = validateDatabaseRequest(ref, { reservedNamespaces });
  const malformed = problems.filter(p => p.rule !== 'reserved');
  if (malformed.length > 0) {
    throw new InputError(malformed.map(p => p.message).join('; '));
  }
  const reserved = problems.find(p => p.rule === 'reserved');
  if (reserved) {
    throw new NotAllowedError(reserved.message);
  }
}
