import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { ForwardedError } from '@backstage/errors';
import { redactError } from '../secrets/redact';
import { CapacityPoint, CapacityReader } from './types';

/** @public */
export interface CloudWatchCapacityReaderOptions {
  /** A configured client (region, credentials). */
  client: CloudWatchClient;
  /** The Aurora cluster, `dbaas.clusters[].aurora.clusterIdentifier`. */
  clusterIdentifier: string;
  /** Seconds per data point (a multiple of 60). @defaultValue 300 */
  periodSeconds?: number;
  /** Safety limit on pages per read. @defaultValue 100 */
  maxPages?: number;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; code?: string };
  return [e?.name, e?.Code, e?.code].some(
    value => value !== undefined && THROTTLING.has(value),
  );
}

/**
 * Reads an Aurora Serverless v2 cluster's `ServerlessDatabaseCapacity`
 * (ACU) from CloudWatch: the average per period, oldest first, following
 * `NextToken` until all points are read.
 *
 * Failures are thrown as `ForwardedError` naming the cluster and the time
 * range; throttling says so, so a scheduled task can back off.
 *
 * @public
 */
export class CloudWatchCapacityReader implements CapacityReader {
  readonly #client: CloudWatchClient;
  readonly #clusterIdentifier: string;
  readonly #periodSeconds: number;
  readonly #maxPages: number;

  constructor(options: CloudWatchCapacityReaderOptions) {
    this.#client = options.client;
    this.#clusterIdentifier = options.clusterIdentifier;
    this.#periodSeconds = options.periodSeconds ?? 300;
    this.#maxPages = options.maxPages ?? 100;
  }

  async readCapacity(options: {
    from: Date;
    to: Date;
  }): Promise<CapacityPoint[]> {
    const { from, to } = options;
    const points = new Map<number, number>();
    let nextToken: string | undefined;
    let pages = 0;
    do {
      let output: GetMetricDataCommandOutput;
      try {
        output = await this.#client.send(
          new GetMetricDataCommand({
            StartTime: from,
            EndTime: to,
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
            MetricDataQueries: [
              {
                Id: 'acu',
                ReturnData: true,
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/RDS',
                    MetricName: 'ServerlessDatabaseCapacity',
                    Dimensions: [
                      {
                        Name: 'DBClusterIdentifier',
                        Value: this.#clusterIdentifier,
                      },
                    ],
                  },
                  Period: this.#periodSeconds,
                  Stat: 'Average',
                },
              },
            ],
          }),
        );
      } catch (error) {
        const what = `ServerlessDatabaseCapacity of Aurora cluster '${
          this.#clusterIdentifier
        }' from ${from.toISOString()} to ${to.toISOString()}`;
        throw new ForwardedError(
          isThrottling(error)
            ? `CloudWatch throttled GetMetricData for ${what} (page ${
                pages + 1
              }); retry later`
            : `CloudWatch GetMetricData failed for ${what} (page ${
                pages + 1
              })`,
          redactError(error),
        );
      }
      for (const result of output.MetricDataResults ?? []) {
        if (result.Id !== 'acu') {
          continue;
        }
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        timestamps.forEach((timestamp, i) => {
          const value = values[i];
          if (value !== undefined && Number.isFinite(value)) {
            points.set(new Date(timestamp).getTime(), value);
          }
        });
      }
      nextToken = output.NextToken;
      pages += 1;
    } while (nextToken && pages < this.#maxPages);
    return [...points.entries()]
      .sort(([a], [b]) => a - b)
      .map(([time, acu]) => ({ at: new Date(time), acu }));
  }
}

/**
 * The configured capacity of a local cluster (`dbaas.clusters[].capacity`),
 * one point per period from `from` (inclusive) to `to` (exclusive).
 *
 * @public
 */
export class FixedCapacityReader implements CapacityReader {
  readonly #acu: number;
  readonly #periodSeconds: number;

  constructor(options: { acu: number; periodSeconds?: number }) {
    this.#acu = options.acu;
    this.#periodSeconds = options.periodSeconds ?? 300;
  }

  async readCapacity(options: {
    from: Date;
    to: Date;
  }): Promise<CapacityPoint[]> {
    const step = this.#periodSeconds * 1000;
    const points: CapacityPoint[] = [];
    for (
      let time = options.from.getTime();
      time < options.to.getTime();
      time += step
    ) {
      points.push({ at: new Date(time), acu: this.#acu });
    }
    return points;
  }
}
