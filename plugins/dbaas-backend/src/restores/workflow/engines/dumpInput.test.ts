import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { PgTool, runPgTool } from '../../../pgTools';
import { feedStdin } from './dumpInput';

/** Node itself as the "tool". */
const node: PgTool = { path: process.execPath, major: 15, version: '15' };

/** Reads `n` bytes of stdin, prints how many it got, exits 0. */
const readSome = (n: number) =>
  `let got = 0; process.stdin.on('data', c => { got += c.length; if (got >= ${n}) { process.stdout.write(String(got)); process.exit(0); } }); process.stdin.on('end', () => { process.stdout.write(String(got)); });`;

/** `size` bytes in 64 KiB chunks; errors at its end when `failAtEnd`. */
function source(size: number, failAtEnd = false) {
  const read = { bytes: 0 };
  async function* chunks() {
    while (read.bytes < size) {
      const chunk = randomBytes(Math.min(64 * 1024, size - read.bytes));
      read.bytes += chunk.length;
      yield chunk;
    }
    if (failAtEnd) {
      throw new Error('checksum mismatch');
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), read };
}

describe('feedStdin', () => {
  it('feeds the whole source to a tool that reads it all', async () => {
    const { stream } = source(3_000_000);
    const out = await runPgTool({
      tool: node,
      args: ['-e', readSome(Number.MAX_SAFE_INTEGER)],
      what: 'reader',
      writeStdin: stdin => feedStdin(stream, stdin, { readToEnd: true }),
    });
    expect(Number(out)).toBe(3_000_000);
  });

  it('reads the source to its end after the tool stopped reading (readToEnd), so its end check runs', async () => {
    const { stream, read } = source(20_000_000, true);
    await expect(
      runPgTool({
        tool: node,
        args: ['-e', readSome(100)],
        what: 'pg_restore',
        writeStdin: stdin => feedStdin(stream, stdin, { readToEnd: true }),
      }),
    ).rejects.toThrow('pg_restore: checksum mismatch');
    expect(read.bytes).toBe(20_000_000);
  });

  it('stops reading the source when the tool closed its stdin (--list)', async () => {
    const { stream, read } = source(200_000_000, true);
    const out = await runPgTool({
      tool: node,
      args: ['-e', readSome(100)],
      what: 'pg_restore --list',
      writeStdin: stdin => feedStdin(stream, stdin, { readToEnd: false }),
    });
    expect(Number(out)).toBeGreaterThanOrEqual(100);
    expect(read.bytes).toBeLessThan(20_000_000);
    expect(stream.destroyed).toBe(true);
  });
});
