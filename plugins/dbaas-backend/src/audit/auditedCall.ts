import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/** One audited step of a capability (restores, rotations, access grants). */
export interface AuditedStep {
  eventId: string;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The user acting; absent for tasks. */
  actor?: string;
  request?: Request;
  meta?: JsonObject;
}

/**
 * Runs `fn` inside an audit event: success with what `describe` says of its
 * result, or failure with the error (refusals, 403 and 409, included).
 */
export async function auditedCall<T>(
  auditor: AuditorService,
  step: AuditedStep,
  fn: () => Promise<T>,
  describe?: (result: T) => JsonObject,
): Promise<T> {
  const audit = await auditor.createEvent({
    eventId: step.eventId,
    severityLevel: step.severityLevel ?? 'medium',
    request: step.request,
    meta: { ...(step.actor ? { actor: step.actor } : {}), ...step.meta },
  });
  try {
    const result = await fn();
    await audit.success(describe ? { meta: describe(result) } : undefined);
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
