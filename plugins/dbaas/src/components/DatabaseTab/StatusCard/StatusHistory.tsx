import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import type { DatabaseStatusChange } from '@dbaas/plugin-dbaas-common';
import { RelativeTime } from '../RelativeTime';

/** The status changes, newest first as the API sends them. */
export const StatusHistory = ({
  history,
}: {
  history: DatabaseStatusChange[];
}) => (
  <List dense aria-label="History" disablePadding>
    {history.map(change => (
      <ListItem key={`${change.at}-${change.status}`} disableGutters>
        <ListItemText
          primary={
            change.from ? `${change.from} → ${change.status}` : change.status
          }
          secondary={
            <>
              <RelativeTime iso={change.at} />
              {change.reason ? ` — ${change.reason}` : ''}
            </>
          }
        />
      </ListItem>
    ))}
  </List>
);
