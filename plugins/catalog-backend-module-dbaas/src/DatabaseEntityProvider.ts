import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { ListDatabasesResponse } from '@dbaas/plugin-dbaas-common';
import {
  ClusterEntityInput,
  clusterEntity,
  databaseEntity,
} from './databaseEntities';

/**
 * Emits one catalog entity per database and per cluster, from the dbaas
 * inventory (read over its REST API, as a service, since the catalog is
 * another plugin). Each refresh replaces the whole set, so databases that
 * are gone disappear from the catalog.
 */
export class DatabaseEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      clusters: ClusterEntityInput[];
      /** Owner of clusters, and of databases whose tenant has none. */
      platformOwner: string;
      fetch?: typeof fetch;
      /**
       * Runs the refresh on the provider's schedule once the catalog has
       * connected it (a run before that would have nowhere to write).
       */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'dbaas-databases';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: 'dbaas-catalog-entities',
      fn: () => this.refresh(),
    });
  }

  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error('DatabaseEntityProvider is not connected yet');
    }
    const { platformOwner, clusters } = this.options;
    const databases = await this.fetchDatabases();
    const entities = [
      ...clusters.map(cluster => clusterEntity(cluster, platformOwner)),
      ...databases.items.flatMap(db => databaseEntity(db, platformOwner) ?? []),
    ];
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.options.logger.debug(
      `Emitted ${entities.length} dbaas entities (${databases.items.length} databases in the inventory)`,
    );
  }

  private async fetchDatabases(): Promise<ListDatabasesResponse> {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl('dbaas');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'dbaas',
    });
    const response = await (this.options.fetch ?? fetch)(
      `${baseUrl}/databases`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as ListDatabasesResponse;
  }
}
