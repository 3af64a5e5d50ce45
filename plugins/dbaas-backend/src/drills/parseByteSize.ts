import { InputError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * A size from config: a number of bytes, or a number with a unit
 * (`'10 GiB'`, `'500MB'`; KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB
 * of 1024). Anything else is an error naming `key`.
 */
export function parseByteSize(value: JsonValue, key: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return Math.floor(value);
  }
  const match =
    typeof value === 'string'
      ? /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)?\s*$/i.exec(value)
      : null;
  const unit = match ? UNITS[(match[2] ?? 'b').toLowerCase()] : undefined;
  if (!match || unit === undefined || !(Number(match[1]) > 0)) {
    throw new InputError(
      `${key} must be a size such as 10737418240, '10 GiB' or '500 MB', not ${JSON.stringify(
        value,
      )}`,
    );
  }
  return Math.floor(Number(match[1]) * unit);
}
