import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { RestoreDrill } from '@dbaas/plugin-dbaas-common';
import { formatBytes } from '../../common/formatBytes';
import { formatAbsoluteTime } from '../../common/formatTime';
import { formatDuration } from '@dbaas/plugin-dbaas-common';

/** The newest drills: when, outcome, time taken, what was found. */
export const DrillList = ({ drills }: { drills: RestoreDrill[] }) => (
  <Table size="small" aria-label="Restore drills">
    <TableHead>
      <TableRow>
        <TableCell>Started</TableCell>
        <TableCell>Outcome</TableCell>
        <TableCell>Took</TableCell>
        <TableCell>Snapshot</TableCell>
        <TableCell>Details</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {drills.map(drill => (
        <TableRow key={drill.id}>
          <TableCell>{formatAbsoluteTime(drill.startedAt)}</TableCell>
          <TableCell>{drill.state}</TableCell>
          <TableCell>
            {drill.durationSeconds !== undefined
              ? formatDuration(drill.durationSeconds)
              : '—'}
          </TableCell>
          <TableCell>
            {drill.snapshotCreatedAt
              ? `${formatAbsoluteTime(drill.snapshotCreatedAt)}${
                  drill.snapshotSizeBytes !== undefined
                    ? ` (${formatBytes(drill.snapshotSizeBytes)})`
                    : ''
                }`
              : '—'}
          </TableCell>
          <TableCell>
            <Typography
              variant="body2"
              color={drill.error ? 'error' : 'textPrimary'}
            >
              {drill.error ?? drill.verification ?? ''}
            </Typography>
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
