import { isDefinitionPath } from '../repoPaths';
import type { RepoFile } from '../types';
import { LocalRepoConnection } from './LocalRepoConnection';
import { readBlobs, revisionReader } from './revision';

/**
 * Reads the base branch of the local repository: one file, or every
 * database definition in one pass (one `git ls-tree -r` and one
 * `git cat-file --batch` for all of them).
 */
export class LocalBaseBranchReader {
  constructor(
    private readonly connection: LocalRepoConnection,
    /** Normalized base path, `''` for the root. */
    private readonly basePath: string,
  ) {}

  async readFile(path: string): Promise<string | undefined> {
    const { git } = await this.connection.ready();
    return revisionReader(git, await this.connection.baseHead(git))(path);
  }

  /** The base head whose definitions the last listing returned. */
  listedCommitSha?: string;

  async listDefinitionFiles(): Promise<RepoFile[]> {
    const { git } = await this.connection.ready();
    const head = await this.connection.baseHead(git);
    const args = ['--literal-pathspecs', 'ls-tree', '-r', '-z', head];
    if (this.basePath !== '') {
      args.push('--', this.basePath);
    }
    const { stdout } = await git.run(args);
    const found: Array<{ path: string; oid: string }> = [];
    for (const line of stdout.toString('utf8').split('\0')) {
      const tab = line.indexOf('\t');
      if (tab === -1) {
        continue;
      }
      const [, type, oid] = line.slice(0, tab).split(' ');
      const path = line.slice(tab + 1);
      if (type === 'blob' && isDefinitionPath(this.basePath, path)) {
        found.push({ path, oid });
      }
    }
    const objects = await readBlobs(
      git,
      found.map(f => f.oid),
    );
    this.listedCommitSha = head;
    return found.map((f, i) => ({
      path: f.path,
      content: objects[i]?.content.toString('utf8') ?? '',
    }));
  }
}
