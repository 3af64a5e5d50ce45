import { Content, Header, Page } from '@backstage/core-components';
import { DbaasPageHeading } from '../common/DbaasPageHeading';
import { DatabaseInventory } from './DatabaseInventory';
import { RequestDatabaseButton } from './RequestDatabaseButton';

const DESCRIPTION =
  'Self-service PostgreSQL: every database you may see, its tenant and where it stands.';

/**
 * The databases page for apps on the legacy frontend system, with its own
 * header and the request button in it.
 */
export function DatabasesPage() {
  return (
    <Page themeId="tool">
      <Header title="Databases" subtitle={DESCRIPTION}>
        <RequestDatabaseButton />
      </Header>
      <Content>
        <DatabaseInventory />
      </Content>
    </Page>
  );
}

/**
 * The databases sub-page for apps on the new frontend system: the page
 * extension (`page:dbaas`) draws the plugin header and the tabs
 * (Databases, Approvals, Billing); this is the tab's heading, with the
 * request button, and the inventory.
 */
export function NfsDatabasesPage() {
  return (
    <>
      <DbaasPageHeading
        title="Databases"
        description={DESCRIPTION}
        actions={<RequestDatabaseButton />}
      />
      <Content>
        <DatabaseInventory />
      </Content>
    </>
  );
}
