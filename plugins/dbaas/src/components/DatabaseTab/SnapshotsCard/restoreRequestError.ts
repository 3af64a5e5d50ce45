import type { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { responseStatusOf } from '../../common/responseStatus';

/**
 * Why a restore request was refused, with the backend's own reason: the
 * 403 and 409 answers are decisions the requester must read, not glitches.
 */
export function describeRestoreRequestError(
  error: Error,
  ref: DatabaseRef,
): string {
  const reason = describeError(error);
  switch (responseStatusOf(error)) {
    case 403:
      return `You may not request restores of ${ref.namespace}/${ref.name}: ${reason}. The owners of the tenant ${ref.namespace} can.`;
    case 409:
      return `Refused: ${reason}`;
    case 400:
    case 404:
      return `The request is not valid: ${reason}`;
    default:
      return `Could not request the restore: ${reason}`;
  }
}
