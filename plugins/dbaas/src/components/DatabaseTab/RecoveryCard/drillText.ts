import type { RestoreDrill } from '@dbaas/plugin-dbaas-common';
import { formatAbsoluteTime } from '../../common/formatTime';
import { formatDuration } from '@dbaas/plugin-dbaas-common';

/**
 * The newest drill in one sentence: `Last drill passed on 13 Dec 2026,
 * 05:00, took 42 s`, `... failed on ...: <why>`, `... running since ...`.
 */
export function lastDrillText(drills: RestoreDrill[]): string | undefined {
  const drill = drills[0];
  if (!drill) {
    return undefined;
  }
  const when = formatAbsoluteTime(drill.finishedAt ?? drill.startedAt);
  switch (drill.state) {
    case 'passed':
      return `Last drill passed on ${when}, took ${formatDuration(
        drill.durationSeconds ?? 0,
      )}`;
    case 'failed':
      return `Last drill failed on ${when}: ${
        drill.error ?? 'no reason recorded'
      }`;
    case 'skipped':
      return `Last drill skipped on ${when}: ${
        drill.error ?? 'no reason recorded'
      }`;
    default:
      return `A drill is running since ${formatAbsoluteTime(drill.startedAt)}`;
  }
}
