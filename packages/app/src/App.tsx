import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import dbaasPlugin from '@dbaas/plugin-dbaas/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';
import { catalogModule } from './modules/catalog';

// The plugins this portal is about are listed here; the rest of the
// app's dependencies are discovered (`app.packages: all`) and deduplicated.
export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    notificationsPlugin,
    signalsPlugin,
    dbaasPlugin,
    navModule,
    homeModule,
    signInModule,
    catalogModule,
  ],
});
