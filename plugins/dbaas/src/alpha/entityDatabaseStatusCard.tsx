import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * A card for the overview of entities carrying `dbaas.io/database`: the
 * database's status, lifecycle and last error.
 */
export const entityDatabaseStatusCard = EntityCardBlueprint.make({
  name: 'database-status',
  params: {
    filter: { 'metadata.annotations.dbaas.io/database': { $exists: true } },
    loader: () =>
      import('../components/DatabaseTab').then(m => (
        <m.EntityDatabaseStatusCard />
      )),
  },
});
