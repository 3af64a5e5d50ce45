/*
 * The contents API (`GET|HEAD /repos/{o}/{r}/contents/{path}?ref=`).
 */
import { notFound, ok, toGitHubBase64 } from './http';
import { getCommitOr404, resolveCommit } from './repoState';
import { Route } from './router';

export const contentsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/contents(?:\/(.*))?$/,
    handler: ({ repo, params, query, state }) => {
      const path = (params[0] ?? '').replace(/\/+$/, '');
      const commitSha = resolveCommit(repo, query.get('ref') ?? undefined);
      const treeSha = getCommitOr404(repo, commitSha).tree;
      const entry = repo.objects.lookup(treeSha, path);
      if (!entry) throw notFound();
      const base = `${state.render.apiBaseUrl}/repos/${repo.owner}/${repo.name}`;
      const describe = (
        p: string,
        sha: string,
        type: string,
        size: number,
      ) => ({
        type,
        name: p.split('/').pop() ?? '',
        path: p,
        sha,
        size,
        url: `${base}/contents/${p}?ref=${commitSha}`,
        html_url: `${state.render.htmlBaseUrl}/${repo.owner}/${repo.name}/blob/${commitSha}/${p}`,
        git_url: `${base}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
        download_url: null,
      });
      if (entry.type === 'tree') {
        return ok(
          (repo.objects.getTree(entry.sha) ?? []).map(e =>
            describe(
              path ? `${path}/${e.name}` : e.name,
              e.sha,
              e.type === 'tree' ? 'dir' : 'file',
              e.type === 'blob' ? repo.objects.getBlob(e.sha)?.length ?? 0 : 0,
            ),
          ),
        );
      }
      const blob = repo.objects.getBlob(entry.sha);
      if (!blob) throw notFound();
      return ok({
        ...describe(path, entry.sha, 'file', blob.length),
        encoding: 'base64',
        content: toGitHubBase64(blob),
      });
    },
  },
];
