import { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { RestoreRecord } from './store/RestoreRecord';

/**
 * What a signed-in user may do to a request now, for the UI's buttons
 * (the decisions themselves check again): approve once while it waits and
 * has not expired, never one's own; reject while it waits; cancel before it
 * runs, as its requester or an approver.
 */
export async function allowedRestoreActions(
  record: RestoreRecord,
  userEntityRef: string,
  options: { now: Date; isApprover: () => Promise<boolean> },
): Promise<RestoreRequest['allowedActions']> {
  const allowed: RestoreRequest['allowedActions'] = [];
  const own = userEntityRef === record.requestedBy;
  const open =
    record.state === 'pending-approval' &&
    record.expiresAt.getTime() > options.now.getTime();
  const approver =
    !own && (open || record.state === 'approved')
      ? await options.isApprover()
      : false;
  if (open && approver && !record.approvals.some(a => a.by === userEntityRef)) {
    allowed.push('approve');
  }
  if (open && approver) {
    allowed.push('reject');
  }
  if (
    (record.state === 'pending-approval' || record.state === 'approved') &&
    (own || approver)
  ) {
    allowed.push('cancel');
  }
  return allowed;
}
