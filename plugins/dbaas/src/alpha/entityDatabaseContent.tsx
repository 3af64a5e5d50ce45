import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * The Database tab (`/catalog/:namespace/:kind/:name/database`). Its code
 * loads when the tab is first opened. It shows on (the same rule as the
 * legacy `isDbaasDatabaseAvailable`):
 *
 * - any entity with the `dbaas.io/database` annotation;
 * - Resources of type `database`, so one without the annotation explains
 *   that dbaas does not manage it;
 * - Components that depend on a Resource. Whether that Resource is a
 *   database takes a catalog request, which a filter cannot make; the tab
 *   then shows the database Resources, or explains how to link one.
 */
export const entityDatabaseContent = EntityContentBlueprint.make({
  name: 'database',
  params: {
    path: 'database',
    title: 'Database',
    filter: {
      $any: [
        { 'metadata.annotations.dbaas.io/database': { $exists: true } },
        { kind: 'resource', 'spec.type': 'database' },
        {
          kind: 'component',
          relations: {
            $contains: {
              type: 'dependsOn',
              targetRef: { $hasPrefix: 'resource:' },
            },
          },
        },
      ],
    },
    loader: () =>
      import('../components/DatabaseTab').then(m => <m.DatabaseTab />),
  },
});
