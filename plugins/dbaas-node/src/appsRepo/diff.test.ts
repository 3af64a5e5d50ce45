import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unifiedDiff } from './diff';
import type { ReadFile } from './types';

const lines = (...content: string[]) => `${content.join('\n')}\n`;

function reader(files: Record<string, string>): ReadFile {
  return async path => files[path];
}

const BEFORE = {
  'b/values.yaml': lines(
    'postgresqlDatabases:',
    '  - name: a',
    '    mode: standard',
  ),
  'a/application.yaml': lines('name: a', 'version: 0.1.0'),
  'c/values.yaml': 'x: 1',
};

describe('unifiedDiff', () => {
  it('is empty when nothing changes', async () => {
    expect(await unifiedDiff([], reader(BEFORE))).toBe('');
    expect(
      await unifiedDiff(
        [
          { path: 'b/values.yaml', content: BEFORE['b/values.yaml'] },
          { path: 'missing.yaml', content: null },
        ],
        reader(BEFORE),
      ),
    ).toBe('');
  });

  it('shows changed, created and deleted files in path order, git style', async () => {
    const diff = await unifiedDiff(
      [
        {
          path: 'b/values.yaml',
          content: `${BEFORE['b/values.yaml']}  - name: b\n    mode: protected\n`,
        },
        { path: 'z/new.yaml', content: 'name: z\n' },
        { path: 'a/application.yaml', content: null },
      ],
      reader(BEFORE),
    );
    expect(diff).toBe(
      lines(
        'diff --git a/a/application.yaml b/a/application.yaml',
        'deleted file mode 100644',
        '--- a/a/application.yaml',
        '+++ /dev/null',
        '@@ -1,2 +0,0 @@',
        '-name: a',
        '-version: 0.1.0',
        'diff --git a/b/values.yaml b/b/values.yaml',
        '--- a/b/values.yaml',
        '+++ b/b/values.yaml',
        '@@ -1,3 +1,5 @@',
        ' postgresqlDatabases:',
        '   - name: a',
        '     mode: standard',
        '+  - name: b',
        '+    mode: protected',
        'diff --git a/z/new.yaml b/z/new.yaml',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/z/new.yaml',
        '@@ -0,0 +1 @@',
        '+name: z',
      ),
    );
  });

  it('marks a missing final newline', async () => {
    const diff = await unifiedDiff(
      [{ path: 'c/values.yaml', content: 'x: 2\n' }],
      reader(BEFORE),
    );
    expect(diff).toBe(
      lines(
        'diff --git a/c/values.yaml b/c/values.yaml',
        '--- a/c/values.yaml',
        '+++ b/c/values.yaml',
        '@@ -1 +1 @@',
        '-x: 1',
        '\\ No newline at end of file',
        '+x: 2',
      ),
    );
  });

  it('produces a patch git applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-diff-'));
    try {
      for (const [path, content] of Object.entries(BEFORE)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      const after = {
        'b/values.yaml': `${BEFORE['b/values.yaml']}  - name: b\n`,
        'c/values.yaml': 'x: 1\ny: 2\n',
        'd/e/new.yaml': 'new\n',
      };
      const diff = await unifiedDiff(
        [
          ...Object.entries(after).map(([path, content]) => ({
            path,
            content,
          })),
          { path: 'a/application.yaml', content: null },
        ],
        reader(BEFORE),
      );
      execFileSync('git', ['apply', '--unsafe-paths', '-'], {
        cwd: dir,
        input: diff,
        env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir) },
      });
      for (const [path, content] of Object.entries(after)) {
        expect(readFileSync(join(dir, path), 'utf8')).toBe(content);
      }
      expect(existsSync(join(dir, 'a/application.yaml'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
