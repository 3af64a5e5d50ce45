import {
  CloudWatchClient,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { InputError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterSettings,
  PostgresClusterObserver,
  PostgresProvisioner,
} from '@dbaas/plugin-dbaas-node';
import { mockClient } from 'aws-sdk-client-mock';
import {
  clusterProviderFor,
  createClusterProviders,
} from './createClusterProviders';

const from = new Date('2026-01-01T00:00:00Z');
const to = new Date('2026-01-01T00:10:00Z');

function cluster(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return {
    name: 'dev',
    environment: 'dev',
    provider: 'local',
    connection: {
      host: 'localhost',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      ssl: false,
    } as ClusterSettings['connection'],
    publicEndpoint: { host: 'localhost', port: 5432 },
    namespaces: [],
    capacity: 1,
    ...overrides,
  };
}

const aurora = cluster({
  name: 'eu',
  provider: 'aurora',
  aurora: { region: 'eu-west-1', clusterIdentifier: 'idp-aurora-eu' },
});

const provisionerDeps = {
  secretStore: { put: jest.fn(), get: jest.fn() } as any,
  logger: mockServices.logger.mock(),
};

describe('createClusterProviders', () => {
  it('gives one bundle per cluster, in order', () => {
    const providers = createClusterProviders([cluster(), aurora]);
    expect(providers.map(p => [p.cluster.name, p.snapshots])).toEqual([
      ['dev', 'logical'],
      ['eu', 'cluster'],
    ]);
  });

  it('refuses a provider without a bundle, naming the cluster', () => {
    expect(() =>
      clusterProviderFor(cluster({ name: 'odd', provider: 'gcp' as any })),
    ).toThrow(
      new InputError(
        "dbaas.clusters: cluster 'odd' has provider 'gcp'; the known providers are 'local' and 'aurora'",
      ),
    );
  });

  describe('local', () => {
    const bundle = clusterProviderFor(cluster({ capacity: 2.5 }));

    it('is provisioned by the suite, untimed, with logical snapshots', () => {
      expect(bundle.provisioning).toEqual({
        by: 'the provisioner',
        timed: false,
      });
      expect(bundle.snapshots).toBe('logical');
      expect(bundle.createProvisioner(provisionerDeps)).toBeInstanceOf(
        PostgresProvisioner,
      );
      expect(bundle.createObserver()).toBeInstanceOf(PostgresClusterObserver);
    });

    it('charges its configured capacity', async () => {
      const points = await bundle
        .createCapacityReader()
        .readCapacity({ from, to });
      expect(points.map(p => p.acu)).toEqual([2.5, 2.5]);
    });
  });

  describe('aurora', () => {
    it('is provisioned by ArgoCD and the chart, timed, with cluster snapshots', () => {
      const bundle = clusterProviderFor(aurora);
      expect(bundle.provisioning).toEqual({
        by: 'ArgoCD and the chart',
        timed: true,
      });
      expect(bundle.snapshots).toBe('cluster');
      expect(bundle.createProvisioner(provisionerDeps)).toBeUndefined();
      // Only the databases new-database restores make are the suite's.
      const restored = bundle.createNewDatabaseProvisioner!(provisionerDeps);
      expect(restored).toBeInstanceOf(PostgresProvisioner);
      expect(restored.cluster).toBe(aurora.name);
    });

    it("reads ServerlessDatabaseCapacity from CloudWatch in the cluster's region", async () => {
      const cloudWatch = mockClient(CloudWatchClient);
      cloudWatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'acu', Timestamps: [from], Values: [3.5] }],
      });
      const regions: string[] = [];
      const reader = clusterProviderFor(aurora, {
        cloudWatchClient: region => {
          regions.push(region);
          return new CloudWatchClient({
            region,
            credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
          });
        },
      }).createCapacityReader();
      expect(await reader.readCapacity({ from, to })).toEqual([
        { at: from, acu: 3.5 },
      ]);
      expect(regions).toEqual(['eu-west-1']);
      const [call] = cloudWatch.commandCalls(GetMetricDataCommand);
      expect(
        call.args[0].input.MetricDataQueries?.[0].MetricStat?.Metric
          ?.Dimensions,
      ).toEqual([{ Name: 'DBClusterIdentifier', Value: 'idp-aurora-eu' }]);
      cloudWatch.restore();
    });
  });
});
