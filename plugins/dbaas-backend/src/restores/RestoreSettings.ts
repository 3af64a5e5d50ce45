import { Config } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { readOptionalDuration } from '../config/readOptionalDuration';

/** `dbaas.restore`, with defaults. */
export interface RestoreSettings {
  /**
   * `dbaas.restore.approvers`: group refs whose members may approve (on top
   * of the `dbaas.restore.approve` permission); empty means no extra limit.
   */
  approvers: string[];
  /** `dbaas.restore.requestTtl`, default 24 hours. */
  requestTtlMs: number;
  /** `dbaas.restore.keepSafetyCopyFor`, default 7 days. */
  keepSafetyCopyForMs: number;
  /** `dbaas.restore.workerFrequency`, default 10 seconds. */
  workerFrequency: HumanDuration;
  /** `dbaas.restore.leaseDuration`, default 2 minutes. */
  leaseMs: number;
}

/** Reads `dbaas.restore.*`; durations accept `{ hours: 24 }`, `'24h'` or `'PT24H'`. */
export function readRestoreSettings(config: Config): RestoreSettings {
  const ms = (key: string, fallback: HumanDuration) =>
    durationToMilliseconds(readOptionalDuration(config, key, fallback));
  return {
    approvers: config.getOptionalStringArray('dbaas.restore.approvers') ?? [],
    requestTtlMs: ms('dbaas.restore.requestTtl', { hours: 24 }),
    keepSafetyCopyForMs: ms('dbaas.restore.keepSafetyCopyFor', { days: 7 }),
    workerFrequency: readOptionalDuration(
      config,
      'dbaas.restore.workerFrequency',
      { seconds: 10 },
    ),
    leaseMs: ms('dbaas.restore.leaseDuration', { minutes: 2 }),
  };
}
