import { InputError } from '@backstage/errors';
import {
  CreateRestoreRequest,
  RESTORE_TARGETS,
} from '@dbaas/plugin-dbaas-common';
import { parsePointInTime } from '../snapshots/pointInTime';

/** Longest reason or comment kept (the OpenAPI spec says the same). */
const MAX_TEXT = 2000;

/** The body of a restore request, checked field by field (400 otherwise). */
export function checkCreateBody(body: CreateRestoreRequest) {
  if (!body || typeof body !== 'object') {
    throw new InputError('A restore request needs a body');
  }
  const bySnapshot = body.snapshotId !== undefined;
  const byTime = body.pointInTime !== undefined;
  if (bySnapshot === byTime) {
    throw new InputError(
      'Give either snapshotId (a snapshot) or pointInTime (Aurora: a moment inside the restore window), not both or neither',
    );
  }
  if (
    bySnapshot &&
    (typeof body.snapshotId !== 'string' || !body.snapshotId.trim())
  ) {
    throw new InputError('snapshotId must be a non-empty string');
  }
  if (byTime) {
    parsePointInTime(body.pointInTime);
  }
  if (!RESTORE_TARGETS.includes(body.target)) {
    throw new InputError(`target must be one of ${RESTORE_TARGETS.join(', ')}`);
  }
  if (!optionalText(body.reason, 'reason')) {
    throw new InputError('A restore needs a reason');
  }
  if (body.targetName !== undefined && typeof body.targetName !== 'string') {
    throw new InputError('targetName must be a string');
  }
}

/** A trimmed optional text (undefined when blank), at most 2,000 characters. */
export function optionalText(
  value: unknown,
  field: string,
): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    throw new InputError(
      `${field} must be a text of at most ${MAX_TEXT} characters`,
    );
  }
  return value.trim() || undefined;
}
