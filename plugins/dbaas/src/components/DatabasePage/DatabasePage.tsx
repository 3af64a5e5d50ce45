import { Content, Header, Page } from '@backstage/core-components';
import { useParams } from 'react-router-dom';
import { DatabaseLifecyclePanel } from './DatabaseLifecyclePanel';

function useDatabaseRefFromRoute() {
  const { namespace = '', name = '' } = useParams();
  return { namespace, name };
}

/**
 * The database page, with its own header (the database's name), for both
 * frontend systems: the new system's page extension has no title of its
 * own, as the name comes from the route.
 */
export function DatabasePage() {
  const databaseRef = useDatabaseRefFromRoute();
  return (
    <Page themeId="tool">
      <Header
        title={`${databaseRef.namespace}-${databaseRef.name}`}
        subtitle="PostgreSQL database: where it stands, from request to ready"
      />
      <Content>
        <DatabaseLifecyclePanel databaseRef={databaseRef} />
      </Content>
    </Page>
  );
}
