import { Content, Header, Page } from '@backstage/core-components';
import { BillingOverview } from './BillingOverview';

const SUBTITLE =
  'What each tenant’s databases cost, per month, database and day, and how every figure is computed';

/** The billing page for apps on the legacy frontend system, with its header. */
export function BillingPage() {
  return (
    <Page themeId="tool">
      <Header title="Database billing" subtitle={SUBTITLE} />
      <Content>
        <BillingOverview />
      </Content>
    </Page>
  );
}

/**
 * The billing page for apps on the new frontend system: the page extension
 * (`page:dbaas/billing`) draws the header.
 */
export function NfsBillingPage() {
  return (
    <Content>
      <BillingOverview />
    </Content>
  );
}
