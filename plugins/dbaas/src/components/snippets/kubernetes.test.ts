import { externalSecretSnippet, kubernetesEnvSnippet } from './kubernetes';
import { auroraConnectionInfo as info, roleOf } from './testConnectionInfo';

const write = roleOf(info, 'write');

const ENV_REQUIRE = [
  "# In your app's values.yaml. The Secret payments-ledger-write in namespace",
  '# payments is created with the database; it holds the keys',
  '# username, password, endpoint and port.',
  'env:',
  '  - name: DB_NAME',
  '    value: payments-ledger',
  '  - name: DB_USER',
  '    valueFrom:',
  '      secretKeyRef:',
  '        name: payments-ledger-write',
  '        key: username',
  '  - name: DB_PASSWORD',
  '    valueFrom:',
  '      secretKeyRef:',
  '        name: payments-ledger-write',
  '        key: password',
  '  - name: DB_HOST',
  '    valueFrom:',
  '      secretKeyRef:',
  '        name: payments-ledger-write',
  '        key: endpoint',
  '  - name: DB_PORT',
  '    valueFrom:',
  '      secretKeyRef:',
  '        name: payments-ledger-write',
  '        key: port',
  '  - name: DB_SSLMODE',
];

describe('kubernetesEnvSnippet', () => {
  it('reads username, password, endpoint and port from the Secret <ns>-<db>-<role>, with sslmode require', () => {
    const snippet = kubernetesEnvSnippet({
      info,
      role: write,
      sslmode: 'require',
    });

    expect(snippet.code).toBe(
      [...ENV_REQUIRE, '    value: require'].join('\n'),
    );
    expect(snippet).toMatchObject({
      format: 'kubernetes',
      title: 'Kubernetes env',
      language: 'yaml',
      notes: [
        'Your app reads the password from DB_PASSWORD, filled from the key password of the Secret payments-ledger-write.',
      ],
    });
    expect(snippet.setup).toBeUndefined();
  });

  it('adds the CA bundle for verify-full', () => {
    const snippet = kubernetesEnvSnippet({
      info,
      role: write,
      sslmode: 'verify-full',
    });

    expect(snippet.code).toBe(
      [
        ...ENV_REQUIRE,
        '    value: verify-full',
        '  # verify-full checks the server certificate against this CA bundle: bake it',
        '  # into the image or mount it (rds-ca.pem is a placeholder).',
        '  - name: DB_SSLROOTCERT',
        '    value: /etc/ssl/certs/rds-ca.pem',
      ].join('\n'),
    );
  });

  it('uses the Secret of the chosen role', () => {
    const snippet = kubernetesEnvSnippet({
      info,
      role: roleOf(info, 'read'),
      sslmode: 'require',
    });

    expect(snippet.code).toContain('        name: payments-ledger-read\n');
    expect(snippet.code).not.toContain('payments-ledger-write');
  });
});

describe('externalSecretSnippet', () => {
  const EXTERNAL_SECRET = [
    '# Pulls customer/payments/payments-ledger-write from the secret manager',
    '# into the Secret payments-ledger-write. The chart creates that Secret itself:',
    '# use this only while the chart does not manage the database (e.g. an',
    '# orphaned protected one).',
    'apiVersion: external-secrets.io/v1beta1',
    'kind: ExternalSecret',
    'metadata:',
    '  name: payments-ledger-write',
    '  namespace: payments',
    'spec:',
    '  refreshInterval: 1h',
    '  secretStoreRef:',
    '    name: aws-secrets',
    '    kind: ClusterSecretStore',
    '  target:',
    '    name: payments-ledger-write',
    '  data:',
    '    - secretKey: username',
    '      remoteRef:',
    '        key: customer/payments/payments-ledger-write',
    '        property: username',
    '    - secretKey: password',
    '      remoteRef:',
    '        key: customer/payments/payments-ledger-write',
    '        property: password',
    '    - secretKey: endpoint',
    '      remoteRef:',
    '        key: customer/payments/payments-ledger-write',
    '        property: endpoint',
    '    - secretKey: port',
    '      remoteRef:',
    '        key: customer/payments/payments-ledger-write',
    '        property: port',
  ].join('\n');

  it.each(['require', 'verify-full'] as const)(
    'pulls the secret-manager path into the Secret (sslmode %s does not matter)',
    sslmode => {
      const snippet = externalSecretSnippet({ info, role: write, sslmode });

      expect(snippet.code).toBe(EXTERNAL_SECRET);
      expect(snippet.notes).toEqual([
        "The password stays in the secret manager (aws secretsmanager get-secret-value --secret-id customer/payments/payments-ledger-write); the ExternalSecret copies it into the Secret payments-ledger-write. The secret store aws-secrets is the platform's default: ask the platform team if yours differs.",
      ]);
    },
  );

  it('quotes a secret-manager path YAML would misread', () => {
    const snippet = externalSecretSnippet({
      info,
      role: { ...write, secretManagerPath: 'customer/payments: write #1' },
      sslmode: 'require',
    });

    expect(snippet.code).toContain(
      '        key: "customer/payments: write #1"\n',
    );
  });
});
