import { formatAbsoluteTime, formatRelativeTime } from './formatTime';

/** A moment as `3 hours ago (21 Nov 2026, 10:04)`, machine-readable too. */
export const RelativeTime = ({ iso }: { iso: string }) => {
  const absolute = formatAbsoluteTime(iso);
  return (
    <time dateTime={iso} title={absolute}>
      {formatRelativeTime(iso)} ({absolute})
    </time>
  );
};
