import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  CodeSnippet,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DBAAS_DATABASE_ANNOTATION } from '@dbaas/plugin-dbaas-common';
import { describeError } from '../common/describeError';
import { DatabaseSelector, databaseKey } from './DatabaseSelector';
import { DatabaseView } from './DatabaseView';
import { LinkedDatabase, LinkedDatabaseProblem } from './linkedDatabases';
import { useLinkedDatabases } from './useLinkedDatabases';

/** The query parameter holding the chosen database, `<namespace>/<name>`. */
export const DATABASE_SEARCH_PARAM = 'database';

const COMPONENT_EXAMPLE = `metadata:
  annotations:
    ${DBAAS_DATABASE_ANNOTATION}: payments/ledger
# or, with the database's Resource in the catalog:
spec:
  dependsOn:
    - resource:payments-ledger`;

const NoDatabase = ({
  entity,
  problems,
}: {
  entity: Entity;
  problems: LinkedDatabaseProblem[];
}) => {
  const isResource = entity.kind.toLocaleLowerCase('en-US') === 'resource';
  const problemText = problems
    .map(problem => `${problem.entityRef}: ${problem.message}`)
    .join(' ');
  if (isResource) {
    return (
      <EmptyState
        missing="field"
        title="This database is not managed by dbaas"
        description={
          problemText ||
          `The Resource has no ${DBAAS_DATABASE_ANNOTATION} annotation. Databases requested through the portal carry ${DBAAS_DATABASE_ANNOTATION}: <namespace>/<name>.`
        }
      />
    );
  }
  return (
    <EmptyState
      missing="field"
      title="No database linked to this entity"
      description={
        problemText ||
        `Neither this entity nor a Resource it depends on carries the ${DBAAS_DATABASE_ANNOTATION} annotation. Link a database in catalog-info.yaml:`
      }
      action={<CodeSnippet text={COMPONENT_EXAMPLE} language="yaml" />}
    />
  );
};

/**
 * The Database tab of an entity: the cards of the database it carries in
 * `dbaas.io/database` (see {@link DatabaseView}), or, for a Component
 * depending on several database Resources, of the one picked (kept in the
 * URL as `?database=<namespace>/<name>`).
 */
export const DatabaseTab = () => {
  const { entity } = useEntity();
  const linked = useLinkedDatabases(entity);
  const [searchParams, setSearchParams] = useSearchParams();
  const select = useCallback(
    (database: LinkedDatabase) =>
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          next.set(DATABASE_SEARCH_PARAM, databaseKey(database));
          return next;
        },
        { replace: true },
      ),
    [setSearchParams],
  );

  if (linked.state === 'loading') {
    return <Progress aria-label="Loading the databases of this entity" />;
  }
  if (linked.state === 'failed') {
    return (
      <>
        <ResponseErrorPanel
          error={linked.error}
          title={`Could not load the Resources this entity depends on: ${describeError(
            linked.error,
          )}`}
        />
        <Button color="primary" onClick={linked.retry}>
          Retry
        </Button>
      </>
    );
  }

  const { databases, problems } = linked.value;
  if (databases.length === 0) {
    return <NoDatabase entity={entity} problems={problems} />;
  }
  const wanted = searchParams.get(DATABASE_SEARCH_PARAM);
  const selected =
    databases.find(database => databaseKey(database) === wanted) ??
    databases[0];

  return (
    <>
      {databases.length > 1 && (
        <DatabaseSelector
          databases={databases}
          selected={selected}
          onSelect={select}
        />
      )}
      {problems.map(problem => (
        <Typography
          key={problem.entityRef}
          variant="body2"
          color="error"
          paragraph
        >
          Left out {problem.entityRef}: {problem.message}
        </Typography>
      ))}
      <DatabaseView key={databaseKey(selected)} databaseRef={selected.ref} />
    </>
  );
};
