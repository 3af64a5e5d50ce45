import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import dbaasPlugin from '@dbaas/plugin-dbaas/alpha';

// An app on the new frontend system with only the features the guide needs;
// the default sign-in page offers the guest provider.
export default createApp({
  features: [catalogPlugin, scaffolderPlugin, dbaasPlugin],
});
