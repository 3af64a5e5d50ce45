import { approvalsRequiredFor, restoreFingerprint } from '../requestIdentity';
import { RestoreRecord } from '../store/RestoreRecord';

/**
 * Why an approved request must not run, checked again right before it
 * starts: the approvals are void when the request changed after they were
 * given (its fields no longer hash to their fingerprint), when they came
 * from the requester (never valid, whatever got them stored), or when too
 * few distinct people approved before the request expired.
 */
export function approvalProblem(record: RestoreRecord): string | undefined {
  const fingerprint = restoreFingerprint(record);
  if (fingerprint !== record.fingerprint) {
    return 'The request changed after it was made; its approvals are void';
  }
  const valid = new Set(
    record.approvals
      .filter(
        a =>
          a.fingerprint === fingerprint &&
          a.by !== record.requestedBy &&
          a.at.getTime() <= record.expiresAt.getTime(),
      )
      .map(a => a.by),
  );
  const required = Math.max(
    record.approvalsRequired,
    approvalsRequiredFor(record.mode, record.target),
  );
  if (valid.size < required) {
    return `The request has ${valid.size} valid approval(s) of the ${required} required; its approvals are void`;
  }
  return undefined;
}
