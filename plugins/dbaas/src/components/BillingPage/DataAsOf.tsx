import { RelativeTime } from '../common/RelativeTime';
import { formatAbsoluteTime } from '../common/formatTime';

/**
 * How recent the month's figures are. The backend bills the hour in
 * progress provisionally and in full, so `asOf` (the end of the last hour
 * billed) can be ahead of the clock: that is said in words ("includes the
 * hour in progress, until 10:00 UTC"), never as data "up to in 55 minutes".
 */
export const DataAsOf = (props: { asOf: string; now?: number }) => {
  const now = props.now ?? Date.now();
  const asOf = Date.parse(props.asOf);
  if (Number.isFinite(asOf) && asOf > now) {
    return (
      <>
        Includes the hour in progress, counted in full until{' '}
        <time dateTime={props.asOf}>
          {formatAbsoluteTime(props.asOf, 'UTC')} UTC
        </time>{' '}
        and settled when it ends.
      </>
    );
  }
  return (
    <>
      Data complete up to <RelativeTime iso={props.asOf} />.
    </>
  );
};
