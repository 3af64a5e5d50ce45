import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import type { DatabasePullRequest } from '@dbaas/plugin-dbaas-common';
import { RelativeTime } from '../../common/RelativeTime';

// The Backstage theme keeps list item text on one line; reasons and URLs
// here are long and must wrap.
const useStyles = makeStyles({
  text: {
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
});

/**
 * The commit of a change in a local apps repository (`file://…#<sha>`),
 * which a browser will not open: it is named, not linked.
 */
function localCommitOf(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const hash = url.indexOf('#');
  return hash === -1 ? '' : url.slice(hash + 1);
}

/** The suite's pull requests about the database, newest first. */
export const PullRequestList = ({
  pullRequests,
}: {
  pullRequests: DatabasePullRequest[];
}) => {
  const classes = useStyles();
  const sorted = [...pullRequests].sort(
    (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt),
  );
  return (
    <List dense aria-label="Pull requests" disablePadding>
      {sorted.map(pullRequest => (
        <ListItem key={pullRequest.number} disableGutters>
          <ListItemText
            classes={{
              root: classes.text,
              primary: classes.text,
              secondary: classes.text,
            }}
            primary={
              <>
                {localCommitOf(pullRequest.url) === undefined ? (
                  <Link to={pullRequest.url}>#{pullRequest.number}</Link>
                ) : (
                  `#${pullRequest.number}`
                )}{' '}
                {pullRequest.kind} · {pullRequest.state}
                {localCommitOf(pullRequest.url)
                  ? ` · local apps repository, commit ${localCommitOf(
                      pullRequest.url,
                    )!.slice(0, 12)}`
                  : ''}
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
