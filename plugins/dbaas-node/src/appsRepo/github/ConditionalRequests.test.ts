import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import { ConditionalRequests } from './ConditionalRequests';

/**
 * A server that answers like the fake GitHub but sends its 304 with a JSON
 * content type, as reported in octokit/request.js#659; and ETags only on
 * the paths asked for.
 */
async function startServer(options: { etagPaths: RegExp }) {
  const seen: { path: string; ifNoneMatch?: string; status: number }[] = [];
  let version = 1;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const etag = `"v${version}-${path}"`;
    const ifNoneMatch = req.headers['if-none-match'];
    const withEtag = options.etagPaths.test(path);
    const status = withEtag && ifNoneMatch === etag ? 304 : 200;
    seen.push({ path, ifNoneMatch, status });
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...(withEtag ? { etag } : {}),
    });
    res.end(status === 304 ? undefined : JSON.stringify({ path, version }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    bump: () => {
      version += 1;
    },
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

describe('ConditionalRequests', () => {
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeEach(async () => {
    server = await startServer({ etagPaths: /^\/tagged/ });
  });

  afterEach(() => server.stop());

  const get =
    (octokit: Octokit, path: string) =>
    (options: { headers: Record<string, string>; request: any }) =>
      octokit.request(`GET ${path}`, options);
  const project = ({ data }: { data: unknown }) => data as { version: number };

  it('serves a 304 (even one with a JSON content type) from the remembered answer', async () => {
    const octokit = new Octokit({ baseUrl: server.baseUrl });
    const conditional = new ConditionalRequests(octokit);

    const first = await conditional.get(
      'a',
      get(octokit, '/tagged/a'),
      project,
    );
    const second = await conditional.get(
      'a',
      get(octokit, '/tagged/a'),
      project,
    );
    server.bump();
    const third = await conditional.get(
      'a',
      get(octokit, '/tagged/a'),
      project,
    );

    expect([first, second, third]).toEqual([
      { value: { path: '/tagged/a', version: 1 }, notModified: false },
      { value: { path: '/tagged/a', version: 1 }, notModified: true },
      { value: { path: '/tagged/a', version: 2 }, notModified: false },
    ]);
    expect(server.seen.map(s => [s.ifNoneMatch, s.status])).toEqual([
      [undefined, 200],
      ['"v1-/tagged/a"', 304],
      ['"v1-/tagged/a"', 200],
    ]);
  });

  it('remembers nothing without an ETag, and at most maxEntries answers', async () => {
    const octokit = new Octokit({ baseUrl: server.baseUrl });
    const conditional = new ConditionalRequests(octokit, 2);

    await conditional.get('plain', get(octokit, '/plain'), project);
    await conditional.get('plain', get(octokit, '/plain'), project);
    for (const key of ['a', 'b', 'c']) {
      await conditional.get(key, get(octokit, `/tagged/${key}`), project);
    }
    await conditional.get('a', get(octokit, '/tagged/a'), project);

    expect(conditional.size).toBe(2);
    expect(server.seen.map(s => s.ifNoneMatch)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      // 'a' was the least recently used of three: forgotten.
      undefined,
    ]);
  });

  it('passes other errors through', async () => {
    const octokit = new Octokit({ baseUrl: server.baseUrl });
    const conditional = new ConditionalRequests(octokit);
    await expect(
      conditional.get(
        'x',
        () => Promise.reject(Object.assign(new Error('boom'), { status: 500 })),
        project,
      ),
    ).rejects.toThrow('boom');
  });
});
