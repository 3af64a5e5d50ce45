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
