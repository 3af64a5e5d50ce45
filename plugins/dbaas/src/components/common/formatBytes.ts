const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `8.4 MiB`, `512 bytes`: binary units, one decimal from KiB on. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${value} ${value === 1 ? 'byte' : 'bytes'}`
    : `${value.toFixed(1)} ${UNITS[unit]}`;
}
