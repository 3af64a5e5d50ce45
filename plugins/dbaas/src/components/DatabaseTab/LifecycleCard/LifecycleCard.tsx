import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import type { DatabaseDetail } from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { useOwnedTenants } from '../../DbaasTenantPicker/useOwnedTenants';
import { formatOwner } from '../../DbaasTenantPicker/owners';
import { otherMode, templateLink } from './lifecycleLinks';

const Note = (props: { children: ReactNode }) => (
  <Typography variant="body2" color="textSecondary" paragraph>
    {props.children}
  </Typography>
);

/**
 * Why the actions would not find the database on the apps repository's base
 * branch (the inventory keeps `folderPath` of a database removed from it),
 * or undefined when it is defined there.
 */
function notDefinedReason(
  database: DatabaseDetail,
  removalOpen: boolean,
): string | undefined {
  switch (database.status) {
    case 'orphaned':
      return 'It was removed from the apps repository and is kept only by deletion protection: there is nothing to change until it is defined there again (ask the platform team).';
    case 'deletion-requested':
      return removalOpen
        ? undefined
        : 'It was removed from the apps repository and is being dropped: there is nothing left to change.';
    case 'deleted':
    case 'abandoned':
      return 'It is not in the apps repository any more: there is nothing to change or delete.';
    case 'unmanaged':
      return 'The suite does not manage it: it was never defined in the apps repository.';
    case 'requested':
      return 'It is not defined in the apps repository yet, so there is nothing to change or delete: change the pending pull request instead.';
    default:
      return database.folderPath
        ? undefined
        : 'It is not defined in the apps repository, so there is nothing to change or delete.';
  }
}

/**
 * Buttons to change a database's mode or chart version, or delete it: each
 * opens a template's form with the database filled in, which shows the pull
 * request before it is opened. Only for members of a group that owns the
 * tenant, the check the actions make (`GET /tenants?owned=true` answers it
 * from the same tenant directory); the form's preview runs every other
 * check of the action before anything can be submitted.
 */
export const LifecycleCard = ({ database }: { database: DatabaseDetail }) => {
  const owned = useOwnedTenants();
  const ref = { namespace: database.namespace, name: database.name };
  const openDeletion = database.pullRequests.find(
    pr => pr.kind === 'delete' && pr.state === 'open',
  );

  let content: ReactNode;
  const notDefined = notDefinedReason(database, Boolean(openDeletion));
  if (notDefined) {
    content = <Note>{notDefined}</Note>;
  } else if (owned.state === 'loading') {
    content = <Progress aria-label="Checking what you may change" />;
  } else if (owned.state === 'failed') {
    content = (
      <Typography variant="body2" color="error" role="alert">
        Could not check whether you may change it: {describeError(owned.error)}
      </Typography>
    );
  } else if (
    !owned.tenants.some(tenant => tenant.namespace === database.namespace)
  ) {
    content = (
      <Note>
        {database.owners.length > 0
          ? `Only members of ${database.owners
              .map(formatOwner)
              .join(', ')}, the owners of namespace ${
              database.namespace
            }, can change or delete it.`
          : `Only the owners of namespace ${database.namespace} can change or delete it.`}
      </Note>
    );
  } else {
    const nextMode = otherMode(database.mode);
    content = (
      <>
        <Note>
          Each button opens a form that shows the pull request to the apps
          repository before it is opened.
        </Note>
        <Box display="flex" flexWrap="wrap" gridGap={8}>
          <LinkButton
            variant="outlined"
            to={templateLink('mode', ref, { mode: nextMode })}
            data-testid="dbaas-lifecycle-mode"
          >
            Make it {nextMode}
          </LinkButton>
          <LinkButton
            variant="outlined"
            to={templateLink('chartVersion', ref)}
            data-testid="dbaas-lifecycle-chart-version"
          >
            Change the chart version
          </LinkButton>
          {!openDeletion && (
            <LinkButton
              variant="outlined"
              color="secondary"
              to={templateLink('delete', ref)}
              data-testid="dbaas-lifecycle-delete"
            >
              Delete this database
            </LinkButton>
          )}
        </Box>
        {openDeletion && (
          <Note>
            Its removal is already proposed:{' '}
            <Link to={openDeletion.url}>
              pull request #{openDeletion.number}
            </Link>
            .
          </Note>
        )}
      </>
    );
  }
  return (
    <InfoCard title="Change or delete">
      <div data-testid="dbaas-lifecycle-card">{content}</div>
    </InfoCard>
  );
};
