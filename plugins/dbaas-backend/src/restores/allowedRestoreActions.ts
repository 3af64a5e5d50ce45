import { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { RestoreRecord } from './store/RestoreRecord';

/**
 * What a signed-in user may do to a request now, for the UI's buttons
 * (the decisions themselves check again): approve once while it waits and
 * has not expired, never one's own; reject while it waits; cancel before it
 * runs or while it awaits its finalize, as its requester or an approver;
 * finalize before the deadline, as `mayFinalize` says.
 */
export async function allowedRestoreActions(
  record: RestoreRecord,
  userEntityRef: string,
  options: {
    now: Date;
    isApprover: () => Promise<boolean>;
    mayFinalize: () => Promise<boolean>;
  },
): Promise<RestoreRequest['allowedActions']> {
  const allowed: RestoreRequest['allowedActions'] = [];
  const own = userEntityRef === record.requestedBy;
  const open =
    record.state === 'pending-approval' &&
    record.expiresAt.getTime() > options.now.getTime();
  const awaiting = record.state === 'awaiting-finalize';
  const approver =
    !own && (open || record.state === 'approved' || awaiting)
      ? await options.isApprover()
      : false;
  if (open && approver && !record.approvals.some(a => a.by === userEntityRef)) {
    allowed.push('approve');
  }
  if (open && approver) {
    allowed.push('reject');
  }
  if (
    (record.state === 'pending-approval' ||
      record.state === 'approved' ||
      awaiting) &&
    (own || approver)
  ) {
    allowed.push('cancel');
  }
  if (awaiting && (await options.mayFinalize())) {
    allowed.push('finalize');
  }
  return allowed;
}
