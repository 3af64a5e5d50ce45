import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { DatabaseSnapshot } from '@dbaas/plugin-dbaas-common';
import { formatBytes } from '../../common/formatBytes';
import { RelativeTime } from '../../common/RelativeTime';
import { formatAbsoluteTime } from '../../common/formatTime';
import { SNAPSHOT_TYPE_LABELS } from './snapshotLabels';

const SHOWN_AT_FIRST = 10;

const useStyles = makeStyles(theme => ({
  checksum: { fontFamily: 'monospace', cursor: 'help' },
  failed: { color: theme.palette.error.main },
}));

/** `sha256:9f86d081…` with the whole checksum on hover. */
const Checksum = ({ checksum }: { checksum?: string }) => {
  const classes = useStyles();
  if (!checksum) {
    return <>—</>;
  }
  const [algorithm, hex] = checksum.includes(':')
    ? checksum.split(':', 2)
    : ['', checksum];
  return (
    <span className={classes.checksum} title={checksum} aria-label={checksum}>
      {algorithm ? `${algorithm}:` : ''}
      {hex.slice(0, 12)}…
    </span>
  );
};

/** The snapshots, newest first: when, why, how big, usable or not. */
export const SnapshotList = ({
  snapshots,
}: {
  snapshots: DatabaseSnapshot[];
}) => {
  const classes = useStyles();
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? snapshots : snapshots.slice(0, SHOWN_AT_FIRST);
  return (
    <>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Taken</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Size</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Kept until</TableCell>
            <TableCell>Checksum</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(snapshot => (
            <TableRow
              key={snapshot.id}
              data-testid={`dbaas-snapshot-${snapshot.id}`}
            >
              <TableCell>
                <RelativeTime iso={snapshot.createdAt} />
              </TableCell>
              <TableCell>
                {SNAPSHOT_TYPE_LABELS[snapshot.type] ?? snapshot.type}
              </TableCell>
              <TableCell>
                {snapshot.sizeBytes !== undefined
                  ? formatBytes(snapshot.sizeBytes)
                  : '—'}
              </TableCell>
              <TableCell
                className={snapshot.status === 'failed' ? classes.failed : ''}
                title={snapshot.error}
              >
                {snapshot.status}
                {snapshot.error ? `: ${snapshot.error}` : ''}
              </TableCell>
              <TableCell>
                {snapshot.expiresAt
                  ? formatAbsoluteTime(snapshot.expiresAt)
                  : 'until deleted'}
              </TableCell>
              <TableCell>
                <Checksum checksum={snapshot.checksum} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {snapshots.length > SHOWN_AT_FIRST && (
        <Button size="small" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${snapshots.length} snapshots`}
        </Button>
      )}
      {snapshots.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No snapshot yet.
        </Typography>
      )}
    </>
  );
};
