import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import type { GitHubRepoRef } from './repoUrl';

/**
 * An Octokit client for one repository, authenticated through Backstage's
 * `integrations.github` (token or GitHub App; `apiBaseUrl` for GitHub
 * Enterprise). Retries are installed separately, by the repository.
 */
export function octokitFromIntegrations(
  config: Config,
  { host, owner, repo }: GitHubRepoRef,
  credentialsProvider?: GithubCredentialsProvider,
): Octokit {
  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new InputError(
      `No GitHub integration for ${host}: add one under integrations.github in the app config`,
    );
  }
  const apiBaseUrl = integration.config.apiBaseUrl;
  if (!apiBaseUrl) {
    throw new InputError(
      `The GitHub integration for ${host} needs an apiBaseUrl (e.g. https://${host}/api/v3)`,
    );
  }
  const credentials =
    credentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const octokit = new Octokit({
    baseUrl: apiBaseUrl,
    userAgent: 'backstage-dbaas',
  });
  const url = `https://${host}/${owner}/${repo}`;
  // Fresh credentials per attempt: GitHub App tokens expire.
  octokit.hook.before('request', async request => {
    const { headers } = await credentials.getCredentials({ url });
    for (const [name, value] of Object.entries(headers ?? {})) {
      request.headers[name.toLowerCase()] = value;
    }
  });
  return octokit;
}
