import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  RestorePreview,
  RestorePreviewTable,
  RestoreRequest,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';
import {
  formatAbsoluteTime,
  formatRelativeTime,
} from '../../common/formatTime';
import { useAbortableLoad } from '../../common/useAbortableLoad';
import { useCurrentUser } from '../../ApprovalsPage/useCurrentUser';
import { FinalizeRestoreButton } from './FinalizeRestoreButton';
import { userName } from './userName';

const useStyles = makeStyles(theme => ({
  panel: {
    margin: theme.spacing(2, 0),
    padding: theme.spacing(1.5, 2),
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    background: theme.palette.background.default,
  },
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    margin: theme.spacing(1, 0),
    fontSize: theme.typography.body2.fontSize,
    '& td, & th': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
    '& td.number, & th.number': { textAlign: 'right' },
  },
  name: { fontFamily: 'monospace' },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
    alignItems: 'center',
  },
}));

const number = (n: number) => n.toLocaleString('en-US');

/** What the swap does to one table, in words. */
export function describeTableChange(table: RestorePreviewTable): string[] {
  const notes: string[] = [];
  if (table.presence === 'added-since-snapshot') {
    notes.push(
      'added since the snapshot: the swap removes it (it stays in the safety copy)',
    );
  }
  if (table.presence === 'dropped-since-snapshot') {
    notes.push('dropped since the snapshot: the swap brings it back');
  }
  if (table.columnsAddedSince.length > 0) {
    notes.push(
      `columns added since: ${table.columnsAddedSince.join(
        ', ',
      )} (gone after the swap)`,
    );
  }
  if (table.columnsDroppedSince.length > 0) {
    notes.push(
      `columns dropped since: ${table.columnsDroppedSince.join(
        ', ',
      )} (back after the swap)`,
    );
  }
  for (const column of table.columnsRetyped) {
    notes.push(
      `${column.name}: ${column.typeNow} now, ${column.typeAtSnapshot} after the swap`,
    );
  }
  if (table.rowsNowError) {
    notes.push(table.rowsNowError);
  }
  if (table.partitioned) {
    notes.push('partitioned: its rows are counted in its partitions');
  }
  return notes;
}

function isChanged(table: RestorePreviewTable): boolean {
  return (
    table.rowsAtSnapshot !== table.rowsNow ||
    describeTableChange(table).some(note => !note.startsWith('partitioned'))
  );
}

/** `+5`, `−3`, `0`: rows now against the snapshot. */
function difference(table: RestorePreviewTable): string {
  if (table.rowsAtSnapshot === undefined || table.rowsNow === undefined) {
    return '';
  }
  const diff = table.rowsNow - table.rowsAtSnapshot;
  if (diff === 0) {
    return '0';
  }
  return diff > 0 ? `+${number(diff)}` : `−${number(-diff)}`;
}

const PreviewTable = ({ tables }: { tables: RestorePreviewTable[] }) => {
  const classes = useStyles();
  return (
    <table className={classes.table} aria-label="What the swap changes">
      <thead>
        <tr>
          <th>Table</th>
          <th className="number">Rows at the snapshot</th>
          <th className="number">Rows now</th>
          <th className="number">Now vs snapshot</th>
          <th>What the swap does</th>
        </tr>
      </thead>
      <tbody>
        {tables.map(table => (
          <tr
            key={`${table.schema}.${table.name}`}
            data-testid={`dbaas-preview-${table.schema}.${table.name}`}
          >
            <td className={classes.name}>
              {table.schema}.{table.name}
            </td>
            <td className="number">
              {table.rowsAtSnapshot === undefined
                ? '—'
                : number(table.rowsAtSnapshot)}
            </td>
            <td className="number">
              {table.rowsNow === undefined ? '—' : number(table.rowsNow)}
            </td>
            <td className="number">{difference(table)}</td>
            <td>{describeTableChange(table).join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

/** Why the signed-in user has no Finalize button, when they may see one. */
function finalizeNote(
  request: RestoreRequest,
  currentUser: string | undefined,
): string | undefined {
  if (request.allowedActions.includes('finalize')) {
    return undefined;
  }
  if (request.mode === 'protected') {
    return currentUser === request.requestedBy
      ? `${request.databaseName} is protected: an approver finalizes this restore, not its requester.`
      : 'Only the restore approvers can finalize this restore of a protected database.';
  }
  return `Only the requester, ${userName(
    request.requestedBy,
  )}, can finalize this restore.`;
}

/**
 * An in-place restore awaiting its finalize: the deadline, what the swap
 * changes per table (loaded once, counted again on request), and the
 * Finalize button for those the backend lets finalize.
 */
export const RestorePreviewPanel = ({
  request,
  onChanged,
}: {
  request: RestoreRequest;
  onChanged: () => void;
}) => {
  const classes = useStyles();
  const dbaasApi = useApi(dbaasApiRef);
  const currentUser = useCurrentUser();
  const [showAll, setShowAll] = useState(false);
  const load = useCallback(
    (signal: AbortSignal) => dbaasApi.getRestorePreview(request.id, { signal }),
    [dbaasApi, request.id],
  );
  const preview = useAbortableLoad<RestorePreview>(load);
  const deadline = request.finalizeDeadline;
  const note = finalizeNote(request, currentUser);

  let body;
  if (preview.state === 'loading') {
    body = <Progress aria-label="Counting rows for the preview" />;
  } else if (preview.state === 'failed') {
    body = (
      <Typography variant="body2" color="error" role="alert">
        Could not load the preview: {describeError(preview.error)}
      </Typography>
    );
  } else {
    const { totals, tables } = preview.value;
    const changed = tables.filter(isChanged);
    const shown = showAll ? tables : changed;
    body = (
      <>
        <Typography variant="body2" data-testid="dbaas-preview-totals">
          {number(totals.rowsAtSnapshot)} rows at the snapshot,{' '}
          {totals.rowsNow === undefined
            ? 'not all counted'
            : number(totals.rowsNow)}{' '}
          now
          {preview.value.liveCountedAt
            ? ` (counted ${formatRelativeTime(preview.value.liveCountedAt)})`
            : ''}
          ; {totals.tablesAddedSince} table(s) added and{' '}
          {totals.tablesDroppedSince} dropped since the snapshot,{' '}
          {totals.tablesWithOtherRowCounts} with other row counts.
        </Typography>
        {preview.value.liveError && (
          <Typography variant="body2" color="error" role="alert">
            {preview.value.liveError}; showing the last count.
          </Typography>
        )}
        {shown.length > 0 ? (
          <PreviewTable tables={shown} />
        ) : (
          <Typography variant="body2" paragraph>
            No table differs: every table has the same columns and rows now as
            at the snapshot.
          </Typography>
        )}
        {changed.length < tables.length && (
          <Button size="small" onClick={() => setShowAll(!showAll)}>
            {showAll
              ? 'Show only the tables that differ'
              : `Show all ${tables.length} tables`}
          </Button>
        )}
      </>
    );
  }

  return (
    <section
      className={classes.panel}
      aria-label="Restore preview"
      data-testid="dbaas-restore-preview"
    >
      <Typography variant="subtitle2" gutterBottom>
        Restored and verified: what the swap changes
      </Typography>
      {deadline && (
        <Typography variant="body2" paragraph>
          Finalize before{' '}
          <time dateTime={deadline} data-testid="dbaas-finalize-deadline">
            {formatAbsoluteTime(deadline)} ({formatRelativeTime(deadline)})
          </time>
          , or the restored copy is dropped and {request.databaseName} stays as
          it is.
        </Typography>
      )}
      {body}
      <Box className={classes.actions} marginTop={1}>
        {request.allowedActions.includes('finalize') && (
          <FinalizeRestoreButton request={request} onChanged={onChanged} />
        )}
        <Button
          size="small"
          onClick={preview.retry}
          disabled={preview.state === 'loading'}
        >
          Count again
        </Button>
        {note && (
          <Typography variant="body2" color="textSecondary" role="note">
            {note}
          </Typography>
        )}
      </Box>
    </section>
  );
};
