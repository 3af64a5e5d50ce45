import { jdbcSnippet, uriSnippet } from './uri';
import {
  dotnetSnippet,
  goSnippet,
  nodeSnippet,
  pythonSnippet,
} from './drivers';
import { externalSecretSnippet, kubernetesEnvSnippet } from './kubernetes';
import { psqlSnippet } from './psql';
import { flywaySnippet, liquibaseSnippet } from './migrations';
import {
  CA_BUNDLE_URL,
  CA_FILE_PLACEHOLDER,
  SNIPPET_FORMATS,
  Snippet,
  SnippetFormat,
  SnippetInput,
} from './types';

const BUILDERS: Record<SnippetFormat, (input: SnippetInput) => Snippet> = {
  psql: psqlSnippet,
  kubernetes: kubernetesEnvSnippet,
  'external-secret': externalSecretSnippet,
  uri: uriSnippet,
  jdbc: jdbcSnippet,
  node: nodeSnippet,
  python: pythonSnippet,
  go: goSnippet,
  dotnet: dotnetSnippet,
  flyway: flywaySnippet,
  liquibase: liquibaseSnippet,
};

/** Formats that connect, and so need the CA bundle for verify-full. */
const CONNECTING_FORMATS: ReadonlySet<SnippetFormat> = new Set(
  SNIPPET_FORMATS.filter(format => format !== 'external-secret'),
);

/** The snippet of one format. */
export function buildSnippet(
  format: SnippetFormat,
  input: SnippetInput,
): Snippet {
  const snippet = BUILDERS[format](input);
  if (input.sslmode === 'verify-full' && CONNECTING_FORMATS.has(format)) {
    snippet.notes.push(
      `${CA_FILE_PLACEHOLDER} stands for the CA bundle of the cluster's certificate; for Aurora, download ${CA_BUNDLE_URL}.`,
    );
  }
  return snippet;
}

/** Every snippet, in the order of {@link SNIPPET_FORMATS}. */
export function buildSnippets(input: SnippetInput): Snippet[] {
  return SNIPPET_FORMATS.map(format => buildSnippet(format, input));
}
