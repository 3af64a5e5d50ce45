import { createHash } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { FakeGitHub } from './FakeGitHub';

describe('FakeGitHub', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  const repo = { owner: 'acme', repo: 'apps' };

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    octokit = new Octokit({ baseUrl: fake.apiBaseUrl, auth: 'test-token' });
    fake.seedRepo('acme', 'apps', {
      files: { 'README.md': 'hello\n', 'team/a/values.yaml': 'x: 1\n' },
    });
  });

  afterEach(() => fake.stop());

  it('hashes objects like git', async () => {
    const { data: blob } = await octokit.git.createBlob({
      ...repo,
      content: 'hello\n',
    });
    expect(blob.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const { data: tree } = await octokit.git.createTree({
      ...repo,
      tree: [],
    });
    expect(tree.sha).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('serves git data, contents and refs with GitHub semantics', async () => {
    const { data: ref } = await octokit.git.getRef({
      ...repo,
      ref: 'heads/main',
    });
    const { data: base } = await octokit.git.getCommit({
      ...repo,
      commit_sha: ref.object.sha,
    });
    const { data: tree } = await octokit.git.createTree({
      ...repo,
      base_tree: base.tree.sha,
      tree: [
        {
          path: 'team/b/values.yaml',
          mode: '100644',
          type: 'blob',
          content: 'y: 2\n',
        },
        { path: 'team/a/values.yaml', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const { data: commit } = await octokit.git.createCommit({
      ...repo,
      message: 'change',
      tree: tree.sha,
      parents: [ref.object.sha],
    });
    await octokit.git.createRef({
      ...repo,
      ref: 'refs/heads/feature/x',
      sha: commit.sha,
    });
    await expect(
      octokit.git.createRef({
        ...repo,
        ref: 'refs/heads/feature/x',
        sha: commit.sha,
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: 'Reference already exists',
    });

    expect(fake.listFiles('acme', 'apps', 'feature/x')).toEqual({
      'README.md': 'hello\n',
      'team/b/values.yaml': 'y: 2\n',
    });
    const { data: file } = await octokit.repos.getContent({
      ...repo,
      path: 'team/b/values.yaml',
      ref: commit.sha,
    });
    expect(Buffer.from((file as any).content, 'base64').toString()).toBe(
      'y: 2\n',
    );
    const { data: dir } = await octokit.repos.getContent({
      ...repo,
      path: 'team',
      ref: 'feature/x',
    });
    expect((dir as any[]).map(e => [e.name, e.type])).toEqual([['b', 'dir']]);
    await expect(
      octokit.repos.getContent({
        ...repo,
        path: 'team/a/values.yaml',
        ref: 'feature/x',
      }),
    ).rejects.toMatchObject({ status: 404 });

    const { data: recursive } = await octokit.git.getTree({
      ...repo,
      tree_sha: tree.sha,
      recursive: '1',
    });
    expect(recursive.tree.map(e => e.path)).toEqual([
      'README.md',
      'team',
      'team/b',
      'team/b/values.yaml',
    ]);

    // Not a fast forward: refused unless forced, and a forced update is recorded.
    const other = fake.commitToBranch('acme', 'apps', 'main', { 'c.txt': 'c' });
    await expect(
      octokit.git.updateRef({ ...repo, ref: 'heads/feature/x', sha: other }),
    ).rejects.toMatchObject({
      status: 422,
      message: 'Update is not a fast forward',
    });
    expect(fake.forceUpdates).toEqual([]);
    await octokit.git.updateRef({
      ...repo,
      ref: 'heads/feature/x',
      sha: other,
      force: true,
    });
    expect(fake.forceUpdates).toEqual([
      expect.objectContaining({
        ref: 'refs/heads/feature/x',
        fastForward: false,
      }),
    ]);
  });

  it('manages pull requests', async () => {
    fake.commitToBranch('acme', 'apps', 'dbaas/x', { 'n.txt': 'n\n' });
    const { data: pr } = await octokit.pulls.create({
      ...repo,
      head: 'dbaas/x',
      base: 'main',
      title: 'T',
      body: 'B',
      draft: true,
    });
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      draft: true,
      html_url: 'https://github.com/acme/apps/pull/1',
      head: { ref: 'dbaas/x', sha: fake.branchSha('acme', 'apps', 'dbaas/x') },
      base: { ref: 'main', sha: fake.branchSha('acme', 'apps', 'main') },
    });
    const dup = await octokit.pulls
      .create({ ...repo, head: 'acme:dbaas/x', base: 'main', title: 'T' })
      .catch(e => e);
    expect(dup.status).toBe(422);
    expect(dup.message).toContain(
      'A pull request already exists for acme:dbaas/x.',
    );

    await octokit.issues.addLabels({
      ...repo,
      issue_number: 1,
      labels: ['dbaas'],
    });
    await octokit.pulls.requestReviewers({
      ...repo,
      pull_number: 1,
      reviewers: ['alice'],
      team_reviewers: ['dba'],
    });
    const { data: list } = await octokit.pulls.list({
      ...repo,
      head: 'acme:dbaas/x',
    });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      labels: [{ name: 'dbaas' }],
      requested_reviewers: [{ login: 'alice' }],
      requested_teams: [{ slug: 'dba' }],
    });
    const { data: files } = await octokit.pulls.listFiles({
      ...repo,
      pull_number: 1,
    });
    expect(files).toEqual([
      expect.objectContaining({ filename: 'n.txt', status: 'added' }),
    ]);

    fake.mergePull('acme', 'apps', 1);
    expect(fake.readFile('acme', 'apps', 'main', 'n.txt')).toBe('n\n');
    expect(fake.listPulls('acme', 'apps', { state: 'closed' })[0].merged).toBe(
      true,
    );
  });

  it('lists pull requests sorted, paged with Link headers, with moving updated_at', async () => {
    let now = Date.UTC(2030, 0, 1);
    const clocked = await FakeGitHub.start({ now: () => new Date(now) });
    try {
      clocked.seedRepo('acme', 'apps', { files: { a: 'a\n' } });
      const client = new Octokit({ baseUrl: clocked.apiBaseUrl });
      for (let n = 1; n <= 5; n++) {
        now += 60_000;
        clocked.commitToBranch('acme', 'apps', `dbaas/${n}`, { [n]: `${n}` });
        await client.pulls.create({
          ...repo,
          head: `dbaas/${n}`,
          base: 'main',
          title: `PR ${n}`,
        });
      }
      const updated = `${new Date(now + 60_000).toISOString().slice(0, 19)}Z`;
      now += 60_000;
      clocked.mergePull('acme', 'apps', 2);
      clocked.closePull('acme', 'apps', 4);
      now += 60_000;
      clocked.commitToBranch('acme', 'apps', 'dbaas/1', { b: 'b\n' });
      clocked.commitToBranch('acme', 'apps', 'dbaas/4', { b: 'b\n' }); // closed: no change
      clocked.openForkPull('acme', 'apps', {
        forkOwner: 'mallory',
        head: 'dbaas/1',
        title: 'Fork',
      });

      const page = async (query: Record<string, string | number>) => {
        const res = await client.request('GET /repos/{owner}/{repo}/pulls', {
          ...repo,
          ...query,
        });
        return { numbers: res.data.map(p => p.number), link: res.headers.link };
      };
      // Default: open ones, by creation, newest first.
      expect((await page({})).numbers).toEqual([6, 5, 3, 1]);
      // sort=updated defaults to ascending, like GitHub.
      expect((await page({ state: 'all', sort: 'updated' })).numbers).toEqual([
        3, 5, 2, 4, 1, 6,
      ]);
      const first = await page({
        state: 'all',
        sort: 'updated',
        direction: 'desc',
        per_page: 4,
      });
      expect(first.numbers).toEqual([6, 1, 4, 2]);
      expect(first.link).toMatch(/[?&]page=2[^>]*>; rel="next"/);
      expect(first.link).toMatch(/[?&]page=2[^>]*>; rel="last"/);
      expect(first.link).toContain('sort=updated');
      const second = await page({
        state: 'all',
        sort: 'updated',
        direction: 'desc',
        per_page: 4,
        page: 2,
      });
      expect(second.numbers).toEqual([5, 3]);
      expect(second.link).not.toContain('rel="next"');
      expect(second.link).toMatch(/[?&]page=1[^>]*>; rel="prev"/);
      expect(
        (await page({ state: 'all', head: 'mallory:dbaas/1' })).numbers,
      ).toEqual([6]);

      const pulls = clocked.listPulls('acme', 'apps', { state: 'all' });
      const byNumber = (n: number) => pulls.find(p => p.number === n)!;
      expect(byNumber(2)).toMatchObject({
        state: 'closed',
        merged: true,
        merged_at: updated,
        closed_at: updated,
        updated_at: updated,
      });
      expect(byNumber(4)).toMatchObject({
        merged_at: null,
        closed_at: updated,
        updated_at: updated,
      });
      expect(byNumber(1).updated_at).not.toBe(byNumber(1).created_at);
      expect(byNumber(1).created_at).toMatch(/:00Z$/);
      expect(byNumber(6)).toMatchObject({
        head: {
          label: 'mallory:dbaas/1',
          ref: 'dbaas/1',
          repo: { full_name: 'mallory/apps', fork: true },
        },
        base: { repo: { full_name: 'acme/apps' } },
      });
      expect((byNumber(6).head.repo as any).id).not.toBe(
        (byNumber(6).base.repo as any).id,
      );
    } finally {
      await clocked.stop();
    }
  });

  it('refuses to merge a pull request whose file changed on both sides', async () => {
    fake.commitToBranch('acme', 'apps', 'dbaas/x', {
      'team/a/values.yaml': 'x: 2\n',
    });
    await octokit.pulls.create({
      ...repo,
      head: 'dbaas/x',
      base: 'main',
      title: 'T',
    });
    fake.commitToBranch('acme', 'apps', 'main', {
      'team/a/values.yaml': 'x: 3\n',
    });
    const { data } = await octokit.pulls.get({ ...repo, pull_number: 1 });
    expect(data.mergeable).toBe(false);
    expect(() => fake.mergePull('acme', 'apps', 1)).toThrow(/not mergeable/);
  });

  it('injects failures, connection resets and latency, and counts requests', async () => {
    fake.failNext({
      method: 'GET',
      pathPattern: '/git/ref/',
      status: 429,
      headers: { 'retry-after': '3' },
    });
    const err = await octokit.git
      .getRef({ ...repo, ref: 'heads/main' })
      .catch(e => e);
    expect(err).toMatchObject({ status: 429 });
    expect(err.response.headers['retry-after']).toBe('3');
    await expect(
      octokit.git.getRef({ ...repo, ref: 'heads/main' }),
    ).resolves.toBeDefined();

    fake.resetConnectionNext({
      method: 'POST',
      pathPattern: /\/git\/blobs$/,
      afterHandling: true,
    });
    const reset = await octokit.git
      .createBlob({ ...repo, content: 'zz' })
      .catch(e => e);
    expect(reset.status).toBe(500);
    expect(reset.response).toBeUndefined();
    // the request was processed before the connection dropped
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', status: 0 });
    const sha = createHash('sha1').update('blob 2\0zz').digest('hex');
    await expect(
      octokit.git.getBlob({ ...repo, file_sha: sha }),
    ).resolves.toBeDefined();

    fake.latencyMs = 30;
    const started = Date.now();
    await octokit.repos.get(repo);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/apps/git/ref/heads/main',
      'GET /repos/acme/apps/git/ref/heads/main',
      'POST /repos/acme/apps/git/blobs',
      `GET /repos/acme/apps/git/blobs/${sha}`,
      'GET /repos/acme/apps',
    ]);
    expect(fake.requests[0].authorization).toBe('token test-token');
  });

  it('answers conditional GETs like GitHub: an ETag, then 304 while unchanged, counted as requests', async () => {
    // Plain fetch: this is about what goes over the wire.
    const get = (path: string, ifNoneMatch?: string) =>
      fetch(`${fake.apiBaseUrl}/repos/acme/apps${path}`, {
        headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {},
      });
    const branch = await get('/branches/main');
    const etag = branch.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);

    const notModified = await get('/branches/main', etag);
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('content-type')).toBeNull();
    // Octokit throws its RequestError with status 304, as with GitHub.
    await expect(
      octokit.repos.getBranch({
        ...repo,
        branch: 'main',
        headers: { 'if-none-match': etag },
      }),
    ).rejects.toMatchObject({ status: 304 });
    // Several tags, and the strong form of a weak one, match too.
    expect(
      (await get('/branches/main', `"other", ${etag.slice(2)}`)).status,
    ).toBe(304);

    fake.commitToBranch('acme', 'apps', 'main', { 'moved.txt': 'm' });
    const moved = await get('/branches/main', etag);
    expect(moved.status).toBe(200);
    expect((await moved.json()).commit.sha).toBe(
      fake.branchSha('acme', 'apps', 'main'),
    );
    expect(moved.headers.get('etag')).not.toBe(etag);

    // A list's ETag changes when one of its items does.
    const pulls = await get('/pulls?state=all');
    const listTag = pulls.headers.get('etag')!;
    expect((await get('/pulls?state=all', listTag)).status).toBe(304);
    fake.commitToBranch('acme', 'apps', 'feature', { 'f.txt': 'f' });
    await octokit.pulls.create({
      ...repo,
      head: 'feature',
      base: 'main',
      title: 'F',
    });
    const changed = await get('/pulls?state=all', listTag);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toHaveLength(1);

    // Writes carry no ETag and ignore If-None-Match.
    const blob = await octokit.git.createBlob({
      ...repo,
      content: 'x',
      headers: { 'if-none-match': '*' },
    });
    expect(blob.status).toBe(201);
    expect(blob.headers.etag).toBeUndefined();

    expect(fake.requests.map(r => r.status)).toEqual([
      200, 304, 304, 304, 200, 200, 304, 201, 200, 201,
    ]);
    expect(fake.notModifiedCount).toBe(4);
    expect(fake.requests[1].ifNoneMatch).toBe(etag);
  });

  it('runs request hooks before handling', async () => {
    const stop = fake.onRequest(req => {
      if (req.method === 'GET' && req.path.endsWith('/git/ref/heads/main')) {
        fake.commitToBranch('acme', 'apps', 'main', { 'moved.txt': 'm' });
      }
    });
    const { data } = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    stop();
    expect(data.object.sha).toBe(fake.branchSha('acme', 'apps', 'main'));
    expect(fake.readFile('acme', 'apps', data.object.sha, 'moved.txt')).toBe(
      'm',
    );
  });

  it('serves the API under /api/v3 like GitHub Enterprise', async () => {
    const ghe = await FakeGitHub.start({ enterprise: true });
    try {
      ghe.seedRepo('acme', 'apps', { files: { a: 'a' } });
      expect(ghe.apiBaseUrl).toMatch(/\/api\/v3$/);
      const client = new Octokit({ baseUrl: ghe.apiBaseUrl });
      const { data } = await client.repos.get(repo);
      expect(data.default_branch).toBe('main');
      expect(ghe.requests[0].path).toBe('/repos/acme/apps');
    } finally {
      await ghe.stop();
    }
  });
});
