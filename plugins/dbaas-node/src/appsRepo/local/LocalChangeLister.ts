import { mapLimit } from '../mapLimit';
import { DBAAS_BRANCH_PREFIX, OpenChange, SuiteChange } from '../types';
import { GitRunner } from './git';
import { LocalRepoConnection } from './LocalRepoConnection';

const BRANCHES = `refs/heads/${DBAAS_BRANCH_PREFIX}`;
/** for-each-ref pattern: matches `refs/heads/dbaas/...` (and a branch named `dbaas`, dropped when parsing). */
const PATTERN = BRANCHES.replace(/\/$/, '');
const FORMAT = [
  '%(refname)',
  '%(objectname)',
  '%(authordate:iso-strict)',
  '%(committerdate:iso-strict)',
  '%(subject)',
].join('%00');
const MAX_CACHED_NUMBERS = 10_000;
const COUNT_CONCURRENCY = 8;

/** A timestamp like GitHub's: ISO 8601 in UTC, whole seconds. */
function iso(date: string): string {
  const time = Date.parse(date);
  return Number.isNaN(time)
    ? date
    : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface BranchTip {
  branchName: string;
  sha: string;
  authored: string;
  committed: string;
  subject: string;
}

function parseRefs(output: string): BranchTip[] {
  const tips: BranchTip[] = [];
  for (const line of output.split('\n')) {
    const [ref, sha, authored, committed, ...subject] = line.split('\0');
    if (!ref?.startsWith(BRANCHES) || !sha || !committed) continue;
    tips.push({
      branchName: ref.slice('refs/heads/'.length),
      sha,
      authored: iso(authored || committed),
      committed: iso(committed),
      subject: subject.join('\0'),
    });
  }
  return tips;
}

/**
 * The suite's branches of a local repository as changes, the way
 * `LocalGitAppsRepository` proposes them: a branch contained in the base
 * branch is a merged change, one that is not (pushed by someone else) an
 * open one. Costs one `git for-each-ref`; when some branch was updated
 * since `updatedSince`, one `rev-parse` of the base and one
 * `for-each-ref --no-merged`, plus one `rev-list --count` per branch head
 * not seen before (the number of a change, which never changes for a
 * commit, is cached).
 */
export class LocalChangeLister {
  readonly #numbers = new Map<string, number>();

  constructor(private readonly connection: LocalRepoConnection) {}

  /** Always empty: a local repository merges every change the moment it is proposed. */
  async listOpen(): Promise<OpenChange[]> {
    return [];
  }

  async list(updatedSince: Date | undefined): Promise<SuiteChange[]> {
    const { git } = await this.connection.ready();
    const since = updatedSince?.getTime();
    if (since !== undefined && Number.isNaN(since)) {
      throw new TypeError('updatedSince is not a valid date');
    }
    const { stdout } = await git.run([
      'for-each-ref',
      `--format=${FORMAT}`,
      PATTERN,
    ]);
    const tips = parseRefs(stdout.toString('utf8')).filter(
      t => since === undefined || Date.parse(t.committed) >= since,
    );
    if (tips.length === 0) return [];

    const base = await this.connection.baseHead(git);
    const unmerged = await git.run([
      'for-each-ref',
      `--no-merged=${base}`,
      '--format=%(refname)',
      PATTERN,
    ]);
    const open = new Set(
      unmerged.stdout
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map(ref => ref.slice('refs/heads/'.length)),
    );
    const numbers = await this.#numbersOf(
      git,
      tips.map(t => t.sha),
    );
    return tips
      .map((tip): SuiteChange => {
        const common = {
          number: numbers.get(tip.sha)!,
          url: `${this.connection.repoUrl}#${tip.sha}`,
          branchName: tip.branchName,
          title: tip.subject,
          createdAt: tip.authored,
          updatedAt: tip.committed,
        };
        return open.has(tip.branchName)
          ? { ...common, state: 'open' }
          : {
              ...common,
              state: 'merged',
              mergedAt: tip.committed,
              closedAt: tip.committed,
            };
      })
      .sort(
        (a, b) =>
          Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
          b.number - a.number ||
          (a.branchName < b.branchName ? -1 : 1),
      );
  }

  /** `git rev-list --count <sha>` of each commit: the number `proposeChange` gives it. */
  async #numbersOf(git: GitRunner, shas: string[]) {
    const numbers = new Map<string, number>();
    const missing: string[] = [];
    for (const sha of new Set(shas)) {
      const known = this.#numbers.get(sha);
      if (known === undefined) missing.push(sha);
      else numbers.set(sha, known);
    }
    await mapLimit(missing, COUNT_CONCURRENCY, async sha => {
      const count = Number(await git.text(['rev-list', '--count', sha]));
      numbers.set(sha, count);
      if (this.#numbers.size >= MAX_CACHED_NUMBERS) {
        const oldest = this.#numbers.keys().next().value;
        if (oldest !== undefined) this.#numbers.delete(oldest);
      }
      this.#numbers.set(sha, count);
    });
    return numbers;
  }
}
