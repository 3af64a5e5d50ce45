import { HumanDuration } from '@backstage/types';
import { Config, readDurationFromConfig } from '@backstage/config';

/**
 * A duration from config (`{ minutes: 1 }`, `'1m'` or `'PT1M'`), or the
 * fallback when the key is absent; a malformed value is an error naming it.
 */
export function readOptionalDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  return config.has(key) ? readDurationFromConfig(config, { key }) : fallback;
}
