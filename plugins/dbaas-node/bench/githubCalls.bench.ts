/*
 * Run from plugins/dbaas-node:
 *   CI=true npx backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/*.bench.ts'
 */
import {
  BenchResult,
  benchCoreAction,
  benchOurs,
  expectedEdits,
  formatTable,
} from './githubCalls';

const LATENCY_MS = 50;
const ROUNDS = 5;

function median(runs: BenchResult[]): BenchResult {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)];
}

jest.setTimeout(60_000);

it('opens a "create database" PR in fewer GitHub calls than publish:github:pull-request', async () => {
  // One warm-up run each (module loading, JIT, connections), then the
  // median of ROUNDS runs, alternating.
  await benchOurs(0);
  await benchCoreAction(0);
  const oursRuns = [];
  const coreRuns = [];
  for (let i = 0; i < ROUNDS; i++) {
    oursRuns.push(await benchOurs(LATENCY_MS));
    coreRuns.push(await benchCoreAction(LATENCY_MS));
  }
  const ours = median(oursRuns);
  const core = median(coreRuns);

  // eslint-disable-next-line no-console
  console.log(formatTable(LATENCY_MS, [ours, core]));

  // Same result: both branches hold the same two files.
  const edits = await expectedEdits();
  const expected = Object.fromEntries(edits.map(e => [e.path, e.content]));
  expect(ours.files).toEqual(expected);
  expect(core.files).toEqual(expected);

  expect(ours.calls.length).toBeLessThanOrEqual(5);
  expect(ours.calls.length).toBeLessThan(core.calls.length);
  expect(ours.wallMs).toBeLessThan(core.wallMs);
});
