import { Content, Header, Page } from '@backstage/core-components';
import { DbaasPageHeading } from '../common/DbaasPageHeading';
import { AccessApprovals } from './AccessApprovals';
import { CredentialRotationApprovals } from './CredentialRotationApprovals';
import { RestoreApprovals } from './RestoreApprovals';

const SUBTITLE =
  'Restores, personal access and credential rotations waiting for a decision, and what became of the others';

/** The approvals page for apps on the legacy frontend system. */
export function ApprovalsPage() {
  return (
    <Page themeId="tool">
      <Header title="Approvals" subtitle={SUBTITLE} />
      <Content>
        <RestoreApprovals />
        <AccessApprovals />
        <CredentialRotationApprovals />
      </Content>
    </Page>
  );
}

/**
 * The approvals sub-page for apps on the new frontend system: the page
 * extension draws the plugin header and tabs; this is the tab's heading
 * and content.
 */
export function NfsApprovalsPage() {
  return (
    <>
      <DbaasPageHeading title="Approvals" description={SUBTITLE} />
      <Content>
        <RestoreApprovals />
        <AccessApprovals />
        <CredentialRotationApprovals />
      </Content>
    </>
  );
}
