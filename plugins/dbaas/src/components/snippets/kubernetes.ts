import {
  CA_FILE_PLACEHOLDER,
  SNIPPET_TITLES,
  Snippet,
  SnippetInput,
} from './types';
import { secretManagerCommand } from './passwordSource';
import { yamlScalar } from './quoting';

/** Keys of the Secret the chart creates per role (platform guide). */
const SECRET_KEYS = [
  ['DB_USER', 'username'],
  ['DB_PASSWORD', 'password'],
  ['DB_HOST', 'endpoint'],
  ['DB_PORT', 'port'],
] as const;

/**
 * The `env` of an app's container, reading the role's credentials from the
 * Kubernetes Secret the chart mirrors from the secret manager.
 */
export function kubernetesEnvSnippet({
  info,
  role,
  sslmode,
}: SnippetInput): Snippet {
  const secret = yamlScalar(role.kubernetesSecretName);
  const lines = [
    `# In your app's values.yaml. The Secret ${role.kubernetesSecretName} in namespace`,
    `# ${role.kubernetesNamespace} is created with the database; it holds the keys`,
    '# username, password, endpoint and port.',
    'env:',
    '  - name: DB_NAME',
    `    value: ${yamlScalar(info.databaseName)}`,
    ...SECRET_KEYS.flatMap(([name, key]) => [
      `  - name: ${name}`,
      '    valueFrom:',
      '      secretKeyRef:',
      `        name: ${secret}`,
      `        key: ${key}`,
    ]),
    '  - name: DB_SSLMODE',
    `    value: ${sslmode}`,
  ];
  if (sslmode === 'verify-full') {
    lines.push(
      '  # verify-full checks the server certificate against this CA bundle: bake it',
      `  # into the image or mount it (${CA_FILE_PLACEHOLDER} is a placeholder).`,
      '  - name: DB_SSLROOTCERT',
      `    value: /etc/ssl/certs/${CA_FILE_PLACEHOLDER}`,
    );
  }
  return {
    format: 'kubernetes',
    title: SNIPPET_TITLES.kubernetes,
    language: 'yaml',
    code: lines.join('\n'),
    notes: [
      `Your app reads the password from DB_PASSWORD, filled from the key password of the Secret ${role.kubernetesSecretName}.`,
    ],
  };
}

/**
 * An ExternalSecret (external-secrets.io) that pulls the role's secret from
 * the secret manager into the Kubernetes Secret apps read. The chart creates
 * that Secret itself; this is for when it no longer manages the database,
 * e.g. a protected database removed from the apps repository (platform
 * guide: keep services connected until it is brought back under management).
 */
export function externalSecretSnippet({ role }: SnippetInput): Snippet {
  const name = yamlScalar(role.kubernetesSecretName);
  const path = yamlScalar(role.secretManagerPath);
  const lines = [
    `# Pulls ${role.secretManagerPath} from the secret manager`,
    `# into the Secret ${role.kubernetesSecretName}. The chart creates that Secret itself:`,
    '# use this only while the chart does not manage the database (e.g. an',
    '# orphaned protected one).',
    'apiVersion: external-secrets.io/v1beta1',
    'kind: ExternalSecret',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${yamlScalar(role.kubernetesNamespace)}`,
    'spec:',
    '  refreshInterval: 1h',
    '  secretStoreRef:',
    '    name: aws-secrets',
    '    kind: ClusterSecretStore',
    '  target:',
    `    name: ${name}`,
    '  data:',
    ...SECRET_KEYS.flatMap(([, key]) => [
      `    - secretKey: ${key}`,
      '      remoteRef:',
      `        key: ${path}`,
      `        property: ${key}`,
    ]),
  ];
  return {
    format: 'external-secret',
    title: SNIPPET_TITLES['external-secret'],
    language: 'yaml',
    code: lines.join('\n'),
    notes: [
      `The password stays in the secret manager (${secretManagerCommand(
        role,
      )}); the ExternalSecret copies it into the Secret ${
        role.kubernetesSecretName
      }. The secret store aws-secrets is the platform's default: ask the platform team if yours differs.`,
    ],
  };
}
