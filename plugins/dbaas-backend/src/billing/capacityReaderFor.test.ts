import {
  CloudWatchClient,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { capacityReaderFor } from './capacityReaderFor';

const from = new Date('2026-01-01T00:00:00Z');
const to = new Date('2026-01-01T00:10:00Z');

describe('capacityReaderFor', () => {
  it("reads an Aurora cluster's ServerlessDatabaseCapacity from CloudWatch in its region", async () => {
    const cloudWatch = mockClient(CloudWatchClient);
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'acu', Timestamps: [from], Values: [3.5] }],
    });
    const regions: string[] = [];
    const reader = capacityReaderFor(
      {
        name: 'eu',
        provider: 'aurora',
        aurora: { region: 'eu-west-1', clusterIdentifier: 'idp-aurora-eu' },
        capacity: 1,
      },
      region => {
        regions.push(region);
        return new CloudWatchClient({
          region,
          credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
        });
      },
    );
    expect(await reader.readCapacity({ from, to })).toEqual([
      { at: from, acu: 3.5 },
    ]);
    expect(regions).toEqual(['eu-west-1']);
    const [call] = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(
      call.args[0].input.MetricDataQueries?.[0].MetricStat?.Metric?.Dimensions,
    ).toEqual([{ Name: 'DBClusterIdentifier', Value: 'idp-aurora-eu' }]);
    cloudWatch.restore();
  });

  it('charges a local cluster its configured capacity', async () => {
    const reader = capacityReaderFor({
      name: 'local',
      provider: 'local',
      capacity: 2.5,
    });
    const points = await reader.readCapacity({ from, to });
    expect(points.map(p => p.acu)).toEqual([2.5, 2.5]);
  });
});
