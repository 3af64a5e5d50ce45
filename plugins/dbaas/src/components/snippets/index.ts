export { buildSnippet, buildSnippets } from './buildSnippet';
export {
  CA_BUNDLE_URL,
  CA_FILE_PLACEHOLDER,
  SNIPPET_FORMATS,
  SNIPPET_TITLES,
  isSnippetFormat,
} from './types';
export type { Snippet, SnippetFormat, SnippetInput } from './types';
export {
  dotnetSnippet,
  goSnippet,
  nodeSnippet,
  pythonSnippet,
} from './drivers';
export { externalSecretSnippet, kubernetesEnvSnippet } from './kubernetes';
export { psqlSnippet } from './psql';
export { flywaySnippet, liquibaseSnippet } from './migrations';
export { passwordCommands } from './passwordSource';
export type { PasswordCommand } from './passwordSource';
export { jdbcSnippet, uriSnippet } from './uri';
