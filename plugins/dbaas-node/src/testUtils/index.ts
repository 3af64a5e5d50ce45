/**
 * Test utilities of the dbaas node library: a stateful fake GitHub REST API.
 *
 * @packageDocumentation
 */

export { FakeGitHub } from './FakeGitHub';
export type {
  FakeGitHubDownload,
  FakeGitHubOptions,
  FakeGitHubRequest,
  FakeGitHubRequestHook,
} from './FakeGitHub';
export type { FakePullRequestView } from './fakeGitHub/repoState';
export type {
  FakeConnectionReset,
  FakeFailure,
  FakeRequestMatcher,
} from './fakeGitHub/faults';
export type { FakeForceUpdate } from './fakeGitHub/router';
export type { FakeArchiveTamper } from './fakeGitHub/archives';
export type { GitCommit, GitPerson } from './fakeGitHub/objectStore';
export {
  seedDefinitions,
  seededDefinitionPath,
  seededDefinitionValues,
  takeGitHubCallCounts,
} from './seededDefinitions';
export type { GitHubCallCounts, SeededDefinition } from './seededDefinitions';
