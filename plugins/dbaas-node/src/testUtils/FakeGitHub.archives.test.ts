import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FakeGitHub } from './FakeGitHub';

const LONG = `team/${'a'.repeat(60)}/${'b'.repeat(50)}/values.yaml`;

/**
 * The fake's archives, checked with the real tools: GNU tar lists and
 * extracts them, `git get-tar-commit-id` reads the commit from the pax
 * global header as from an archive `git archive` made.
 */
describe('FakeGitHub archives', () => {
  let fake: FakeGitHub;
  let dir: string;
  let commit: string;
  const files = {
    'README.md': 'hello\n',
    'team/a/values.yaml': 'x: 1\n',
    'team/b/values.yaml': 'y: 2\n',
    [LONG]: 'long: true\n',
  };

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    commit = fake.seedRepo('acme', 'apps', { files });
    dir = mkdtempSync(join(tmpdir(), 'fake-archive-'));
  });

  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
  });

  async function redirect(ref: string, base = fake.apiBaseUrl) {
    const response = await fetch(`${base}/repos/acme/apps/tarball/${ref}`, {
      headers: { authorization: 'token test' },
      redirect: 'manual',
    });
    return {
      status: response.status,
      location: response.headers.get('location'),
    };
  }

  async function download(location: string) {
    const response = await fetch(location);
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body, headers: response.headers };
  }

  /** Extracts with GNU tar; returns the top folder and the files under it. */
  function extract(archive: Buffer) {
    const file = join(dir, 'a.tar.gz');
    writeFileSync(file, archive);
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
      .trim()
      .split('\n');
    execFileSync('tar', ['-xzf', file, '-C', dir]);
    const top = listed[0].replace(/\/$/, '');
    const read = (path: string) => readFileSync(join(dir, top, path), 'utf8');
    return { top, listed, read };
  }

  it('answers GET /tarball with a 302 to a download counted apart, a tar.gz of the commit', async () => {
    const { status, location } = await redirect('main');
    expect(status).toBe(302);
    expect(location).toMatch(
      new RegExp(
        `^${fake.apiBaseUrl}/_codeload/acme/apps/legacy\\.tar\\.gz/main\\?token=[0-9a-f]+$`,
      ),
    );

    const archive = await download(location!);

    expect(archive.status).toBe(200);
    expect(archive.headers.get('content-type')).toBe('application/x-gzip');
    const { top, listed, read } = extract(archive.body);
    expect(top).toBe(`acme-apps-${commit.slice(0, 7)}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        `${top}/`,
        `${top}/team/`,
        `${top}/team/a/values.yaml`,
        `${top}/${LONG}`,
      ]),
    );
    for (const [path, content] of Object.entries(files)) {
      expect(read(path)).toBe(content);
    }
    const tar = join(dir, 'a.tar');
    writeFileSync(tar, gunzipSync(archive.body));
    expect(
      execFileSync('sh', ['-c', `git get-tar-commit-id < "${tar}"`], {
        encoding: 'utf8',
      }).trim(),
    ).toBe(commit);
    // One REST call; the download is counted apart, without the token.
    expect(fake.requests.map(r => `${r.method} ${r.path} ${r.status}`)).toEqual(
      ['GET /repos/acme/apps/tarball/main 302'],
    );
    expect(fake.downloads).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/_codeload/acme/apps/legacy.tar.gz/main',
        status: 200,
        bytes: archive.body.length,
        authorization: undefined,
      }),
    ]);
  });

  it('archives the commit a sha names, and a branch as it is at the download', async () => {
    const old = (await redirect(commit)).location!;
    const atMain = (await redirect('main')).location!;
    fake.commitToBranch('acme', 'apps', 'main', {
      'team/a/values.yaml': 'x: 2\n',
    });

    expect(extract((await download(old)).body).read('team/a/values.yaml')).toBe(
      'x: 1\n',
    );
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'fake-archive-'));
    expect(
      extract((await download(atMain)).body).read('team/a/values.yaml'),
    ).toBe('x: 2\n');
  });

  it('refuses unknown refs, and downloads without a token it handed out', async () => {
    expect((await redirect('nope')).status).toBe(404);
    const { location } = await redirect('main');
    const forged = location!.replace(/token=[0-9a-f]+/, 'token=forged');
    expect((await download(forged)).status).toBe(404);
  });

  it('tampers with the next download, once, and fails or drops downloads on request', async () => {
    fake.tamperArchiveNext({
      owner: 'acme',
      repo: 'apps',
      path: 'team/a/values.yaml',
      content: 'x: evil\n',
    });
    fake.tamperArchiveNext({
      owner: 'acme',
      repo: 'apps',
      path: 'team/b/values.yaml',
      content: null,
    });
    const tampered = extract(
      (await download((await redirect('main')).location!)).body,
    );
    expect(tampered.read('team/a/values.yaml')).toBe('x: evil\n');
    expect(tampered.listed).not.toContain(`${tampered.top}/team/b/values.yaml`);

    const clean = await download((await redirect('main')).location!);
    const cleanDir = dir;
    dir = mkdtempSync(join(tmpdir(), 'fake-archive-'));
    expect(extract(clean.body).read('team/a/values.yaml')).toBe('x: 1\n');
    rmSync(cleanDir, { recursive: true, force: true });

    fake.failNext({ pathPattern: '/_codeload/', status: 503 });
    expect((await download((await redirect('main')).location!)).status).toBe(
      503,
    );
    fake.resetConnectionNext({ pathPattern: '/_codeload/' });
    await expect(
      download((await redirect('main')).location!),
    ).rejects.toThrow();
    expect(fake.downloads.map(d => d.status)).toEqual([200, 200, 503, 0]);
    expect(fake.requests).toHaveLength(4);
  });

  it('redirects to its own server root under /api/v3 (GitHub Enterprise)', async () => {
    const enterprise = await FakeGitHub.start({ enterprise: true });
    try {
      enterprise.seedRepo('acme', 'apps', { files });
      const { status, location } = await redirect(
        'main',
        enterprise.apiBaseUrl,
      );
      expect(status).toBe(302);
      const origin = new URL(enterprise.apiBaseUrl).origin;
      expect(location!.startsWith(`${origin}/_codeload/acme/apps/`)).toBe(true);
      expect((await download(location!)).status).toBe(200);
      expect(enterprise.requests.map(r => r.path)).toEqual([
        '/repos/acme/apps/tarball/main',
      ]);
      expect(enterprise.downloads).toHaveLength(1);
    } finally {
      await enterprise.stop();
    }
  });
});
