import { Content, Header, Page } from '@backstage/core-components';
import { AccessApprovals } from './AccessApprovals';
import { CredentialRotationApprovals } from './CredentialRotationApprovals';
import { RestoreApprovals } from './RestoreApprovals';

const SUBTITLE =
  'Restore requests waiting for a decision, and what became of the others';

/** The approvals page for apps on the legacy frontend system. */
export function ApprovalsPage() {
  return (
    <Page themeId="tool">
      <Header title="Restore approvals" subtitle={SUBTITLE} />
      <Content>
        <RestoreApprovals />
        <AccessApprovals />
        <CredentialRotationApprovals />
      </Content>
    </Page>
  );
}

/**
 * The approvals page for apps on the new frontend system: the page
 * extension draws the header.
 */
export function NfsApprovalsPage() {
  return (
    <Content>
      <RestoreApprovals />
      <AccessApprovals />
      <CredentialRotationApprovals />
    </Content>
  );
}
