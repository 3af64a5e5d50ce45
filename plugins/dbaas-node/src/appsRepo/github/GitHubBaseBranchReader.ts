import { posix } from 'node:path';
import { VALUES_FILE } from '../../definitions/databaseChanges';
import { mapLimit } from '../mapLimit';
import { checkRepoPath, isDefinitionPath } from '../repoPaths';
import type { RepoFile } from '../types';
import { GitHubApi } from './GitHubApi';

/**
 * Reads the base branch of the apps repository on GitHub: one file, or
 * every database definition in one pass (a recursive tree listing plus one
 * blob per definition, at most 8 requests at a time).
 */
export class GitHubBaseBranchReader {
  constructor(
    private readonly api: GitHubApi,
    private readonly baseBranch: string,
    /** Normalized base path, `''` for the root. */
    private readonly basePath: string,
  ) {}

  async readFile(path: string): Promise<string | undefined> {
    checkRepoPath(path);
    return (await this.api.getFile(path, this.baseBranch))?.content;
  }

  async listDefinitionFiles(): Promise<RepoFile[]> {
    const head = await this.api.getBranch(this.baseBranch);
    const found = await this.#definitionBlobs(head.treeSha);
    const contents = await mapLimit(found, 8, f => this.api.getBlob(f.sha));
    return found.map((f, i) => ({ path: f.path, content: contents[i] }));
  }

  /** `<basePath>/<namespace>/<folder>/values.yaml` blobs of a tree. */
  async #definitionBlobs(
    treeSha: string,
  ): Promise<{ path: string; sha: string }[]> {
    const { items, truncated } = await this.api.getTree(treeSha, true);
    if (!truncated) {
      return [...items.entries()]
        .filter(
          ([path, item]) =>
            item.type === 'blob' && isDefinitionPath(this.basePath, path),
        )
        .map(([path, item]) => ({ path, sha: item.sha }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
    }
    // A very large repository: walk base path -> namespaces -> folders.
    let level = [{ path: '', sha: treeSha }];
    for (const segment of this.basePath ? this.basePath.split('/') : []) {
      const { items: children } = await this.api.getTree(level[0].sha, false);
      const child = children.get(segment);
      if (!child || child.type !== 'tree') return [];
      level = [{ path: posix.join(level[0].path, segment), sha: child.sha }];
    }
    for (let depth = 0; depth < 2; depth++) {
      const nextLevel = await mapLimit(level, 8, async dir =>
        [...(await this.api.getTree(dir.sha, false)).items.entries()]
          .filter(([, item]) => item.type === 'tree')
          .map(([name, item]) => ({
            path: posix.join(dir.path, name),
            sha: item.sha,
          })),
      );
      level = nextLevel.flat();
    }
    const found = await mapLimit(level, 8, async dir => {
      const values = (await this.api.getTree(dir.sha, false)).items.get(
        VALUES_FILE,
      );
      return values?.type === 'blob'
        ? [{ path: posix.join(dir.path, VALUES_FILE), sha: values.sha }]
        : [];
    });
    return found.flat().sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}
