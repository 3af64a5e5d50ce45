import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { Link } from '@backstage/core-components';
import type { DatabasePullRequest } from '@dbaas/plugin-dbaas-common';
import { RelativeTime } from '../RelativeTime';

/** The suite's pull requests about the database, newest first. */
export const PullRequestList = ({
  pullRequests,
}: {
  pullRequests: DatabasePullRequest[];
}) => {
  const sorted = [...pullRequests].sort(
    (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt),
  );
  return (
    <List dense aria-label="Pull requests" disablePadding>
      {sorted.map(pullRequest => (
        <ListItem key={pullRequest.number} disableGutters>
          <ListItemText
            primary={
              <>
                <Link to={pullRequest.url}>#{pullRequest.number}</Link>{' '}
                {pullRequest.kind} · {pullRequest.state}
              </>
            }
            secondary={
              <>
                updated <RelativeTime iso={pullRequest.updatedAt} />
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
};
