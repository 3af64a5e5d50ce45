import { formatBytes } from './formatBytes';
import { snapshotRetentionDays } from './snapshotRetention';

describe('snapshotRetentionDays', () => {
  it.each([
    ['production', 35],
    ['Staging', 35],
    ['prod', 35],
    ['test', 7],
    ['dev', 7],
    ['development', 7],
    ['sandbox', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s keeps snapshots %s days', (environment, days) => {
    expect(snapshotRetentionDays(environment)).toBe(days);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1.0 KiB'],
    [8_808_038, '8.4 MiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('%d is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
