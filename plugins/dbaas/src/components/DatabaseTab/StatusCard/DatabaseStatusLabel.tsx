import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';
import { STATUS_TONES, StatusTone } from './statusDescriptions';

const TONE_COMPONENTS: Record<
  StatusTone,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  ok: StatusOK,
  pending: StatusPending,
  warning: StatusWarning,
  error: StatusError,
  aborted: StatusAborted,
};

/**
 * A status with its colour. The text alone sits in `data-testid="dbaas-status"`
 * for browser tests.
 */
export const DatabaseStatusLabel = ({ status }: { status: DatabaseStatus }) => {
  const Tone = TONE_COMPONENTS[STATUS_TONES[status]];
  return (
    <Tone>
      <span data-testid="dbaas-status">{status}</span>
    </Tone>
  );
};
