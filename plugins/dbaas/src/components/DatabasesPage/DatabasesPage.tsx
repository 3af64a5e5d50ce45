import { Content, Header, Page } from '@backstage/core-components';
import { DatabaseInventory } from './DatabaseInventory';

/**
 * The databases page for apps on the legacy frontend system, with its own
 * header.
 */
export function DatabasesPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Databases"
        subtitle="Self-service PostgreSQL: every database, its tenant and where it stands"
      />
      {/*
        Approvals and billing become tabs here: replace the Content below
        with a <TabbedLayout> whose routes are '/' (the inventory),
        '/approvals' (approvalsRouteRef) and '/billing' (billingRouteRef).
      */}
      <Content>
        <DatabaseInventory />
      </Content>
    </Page>
  );
}

/**
 * The databases page for apps on the new frontend system. The page
 * extension (`page:dbaas`) draws the header, with the title and icon it is
 * given; this is what goes below it.
 */
export function NfsDatabasesPage() {
  return (
    <Content>
      <DatabaseInventory />
    </Content>
  );
}
