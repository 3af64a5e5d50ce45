import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRunner, parseCatFileBatch } from './git';

describe('GitRunner', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbaas-git-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('wraps a failure in a ForwardedError naming the command and git’s reason', async () => {
    const git = new GitRunner(dir, { name: 'dbaas', email: 'dbaas@localhost' });
    const error = await git.run(['rev-parse', 'HEAD']).catch(e => e);
    expect(error.name).toBe('Error');
    expect(error.message).toMatch(
      new RegExp(
        `^git rev-parse HEAD failed in ${dir}; caused by Error: fatal: not a git repository`,
      ),
    );
    expect(error.message).not.toContain('\n');
  });

  it('passes standard input and accepts answer codes', async () => {
    const git = new GitRunner(dir, { name: 'dbaas', email: 'dbaas@localhost' });
    await git.run(['init', '--quiet']);
    const blob = await git.text(['hash-object', '--stdin'], { input: 'x\n' });
    expect(blob).toBe('587be6b4c3f93f93c489c0111bba5596147a26cb');
    const { code } = await git.run(
      ['rev-parse', '--verify', '--quiet', 'nope'],
      {
        okCodes: [0, 1],
      },
    );
    expect(code).toBe(1);
  });
});

describe('parseCatFileBatch', () => {
  it('reads objects and missing entries', () => {
    const output = Buffer.from(
      'aaaa blob 3\nab\n\nmain:nope missing\nbbbb tree 0\n\n',
    );
    expect(parseCatFileBatch(output, 3)).toEqual([
      { type: 'blob', content: Buffer.from('ab\n') },
      undefined,
      { type: 'tree', content: Buffer.from('') },
    ]);
  });
});
