import {
  CloudWatchClient,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchCapacityReader,
  FixedCapacityReader,
} from './CloudWatchCapacityReader';

const cloudWatch = mockClient(CloudWatchClient);
const from = new Date('2026-01-01T00:00:00Z');
const to = new Date('2026-01-01T01:00:00Z');
const minutes = (n: number) => new Date(from.getTime() + n * 60_000);

function reader() {
  return new CloudWatchCapacityReader({
    client: new CloudWatchClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    }),
    clusterIdentifier: 'idp-aurora',
    periodSeconds: 300,
  });
}

describe('CloudWatchCapacityReader', () => {
  beforeEach(() => cloudWatch.reset());

  it('asks for the average ServerlessDatabaseCapacity of the cluster', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'acu',
          Timestamps: [minutes(0), minutes(5)],
          Values: [0.5, 2],
          StatusCode: 'Complete',
        },
      ],
    });
    await expect(reader().readCapacity({ from, to })).resolves.toEqual([
      { at: minutes(0), acu: 0.5 },
      { at: minutes(5), acu: 2 },
    ]);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toMatchObject({
      StartTime: from,
      EndTime: to,
      MetricDataQueries: [
        {
          Id: 'acu',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'ServerlessDatabaseCapacity',
              Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'idp-aurora' }],
            },
            Period: 300,
            Stat: 'Average',
          },
        },
      ],
    });
  });

  it('follows NextToken and returns the points oldest first', async () => {
    cloudWatch
      .on(GetMetricDataCommand, { NextToken: undefined })
      .resolves({
        MetricDataResults: [
          {
            Id: 'acu',
            Timestamps: [minutes(10), minutes(0)],
            Values: [4, 1],
            StatusCode: 'PartialData',
          },
        ],
        NextToken: 'page-2',
      })
      .on(GetMetricDataCommand, { NextToken: 'page-2' })
      .resolves({
        MetricDataResults: [
          {
            Id: 'acu',
            Timestamps: [minutes(5)],
            Values: [2.5],
            StatusCode: 'Complete',
          },
        ],
      });
    await expect(reader().readCapacity({ from, to })).resolves.toEqual([
      { at: minutes(0), acu: 1 },
      { at: minutes(5), acu: 2.5 },
      { at: minutes(10), acu: 4 },
    ]);
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls.map(call => call.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
  });

  it('reports throttling with the cluster and range', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    cloudWatch.on(GetMetricDataCommand).rejects(throttled);
    const failure = reader().readCapacity({ from, to });
    await expect(failure).rejects.toMatchObject({
      name: 'Throttling',
      message: expect.stringMatching(
        /^CloudWatch throttled GetMetricData for ServerlessDatabaseCapacity of Aurora cluster 'idp-aurora' from 2026-01-01T00:00:00.000Z to 2026-01-01T01:00:00.000Z \(page 1\); retry later; caused by .*Rate exceeded/,
      ),
    });
  });

  it('wraps other failures with context', async () => {
    cloudWatch
      .on(GetMetricDataCommand)
      .rejects(
        Object.assign(new Error('not authorized'), { name: 'AccessDenied' }),
      );
    await expect(reader().readCapacity({ from, to })).rejects.toThrow(
      /CloudWatch GetMetricData failed for ServerlessDatabaseCapacity of Aurora cluster 'idp-aurora'.*not authorized/,
    );
  });
});

describe('FixedCapacityReader', () => {
  it('reports the configured capacity once per period', async () => {
    const points = await new FixedCapacityReader({
      acu: 2,
      periodSeconds: 900,
    }).readCapacity({ from, to });
    expect(points).toEqual([
      { at: minutes(0), acu: 2 },
      { at: minutes(15), acu: 2 },
      { at: minutes(30), acu: 2 },
      { at: minutes(45), acu: 2 },
    ]);
  });
});
