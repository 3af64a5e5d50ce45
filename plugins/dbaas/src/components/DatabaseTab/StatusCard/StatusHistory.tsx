import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { makeStyles } from '@material-ui/core/styles';
import type { DatabaseStatusChange } from '@dbaas/plugin-dbaas-common';
import { RelativeTime } from '../../common/RelativeTime';

// The Backstage theme keeps list item text on one line; reasons and URLs
// here are long and must wrap.
const useStyles = makeStyles({
  text: {
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
});

/** The status changes, newest first as the API sends them. */
export const StatusHistory = ({
  history,
}: {
  history: DatabaseStatusChange[];
}) => {
  const classes = useStyles();
  return (
    <List dense aria-label="History" disablePadding>
      {history.map(change => (
        <ListItem key={`${change.at}-${change.status}`} disableGutters>
          <ListItemText
            classes={{
              root: classes.text,
              primary: classes.text,
              secondary: classes.text,
            }}
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
};
