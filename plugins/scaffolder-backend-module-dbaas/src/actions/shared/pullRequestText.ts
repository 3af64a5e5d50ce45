import { DatabaseMode, DerivedDatabaseNames } from '@dbaas/plugin-dbaas-common';

/** Facts a pull request description is made of. */
export interface PullRequestFacts {
  names: DerivedDatabaseNames;
  mode: DatabaseMode;
  /** `<basePath>/<namespace>/<folder>` */
  folderPath: string;
  requestedBy?: string;
  taskId: string;
  chartVersion?: string;
  reason?: string;
}

function code(value: string) {
  return `\`${value.replace(/`/g, "'")}\``;
}

function roleLines(names: DerivedDatabaseNames): string {
  const grants = {
    read: 'SELECT',
    write: 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE',
    admin: 'owner of schema public',
  } as const;
  return (['read', 'write', 'admin'] as const)
    .map(
      access =>
        `- ${code(names.roles[access])} (${grants[access]}): secret ${code(
          names.secretManagerPaths[access],
        )} in AWS Secrets Manager, mirrored into the Kubernetes Secret ${code(
          names.kubernetesSecrets[access],
        )} (keys username, password, endpoint, port)`,
    )
    .join('\n');
}

function requestedByLine(facts: PullRequestFacts) {
  return `Requested ${
    facts.requestedBy ? `by ${code(facts.requestedBy)} ` : ''
  }through Backstage (scaffolder task ${code(facts.taskId)}).`;
}

const PROTECTION_EXPLAINED = `### Deletion protection
This database is **protected**: removing it from this repository will not
delete it. It stays in the cluster with its data and roles, as an
*orphaned* database, until a platform engineer removes it by hand.`;

export function createPullRequestText(facts: PullRequestFacts) {
  const { names } = facts;
  return {
    title: `Add PostgreSQL database ${names.databaseName}`,
    commitMessage: `Add PostgreSQL database ${
      names.databaseName
    }\n\n${requestedByLine(facts)}`,
    body: [
      `## Add PostgreSQL database ${code(names.databaseName)}`,
      requestedByLine(facts),
      '',
      '| | |',
      '|---|---|',
      `| Tenant (namespace) | ${code(names.namespace)} |`,
      `| Database | ${code(names.name)} → ${code(names.databaseName)} |`,
      `| Mode | ${facts.mode} |`,
      `| Folder | ${code(facts.folderPath)} |`,
      ...(facts.chartVersion
        ? [`| Chart | helm/idp-postgresql ${code(facts.chartVersion)} |`]
        : []),
      '',
      '### What happens after merge',
      `ArgoCD syncs ${code(
        facts.folderPath,
      )} and the idp-postgresql chart creates, usually within 1-3 minutes:`,
      `- the database ${code(names.databaseName)} (SSL required)`,
      roleLines(names),
      '',
      `Backstage shows its status from request to ready on ${code(
        names.entityRef,
      )}.`,
      ...(facts.mode === 'protected' ? ['', PROTECTION_EXPLAINED] : []),
    ].join('\n'),
  };
}

export function updatePullRequestText(
  facts: PullRequestFacts & { changes: string[] },
) {
  const { names } = facts;
  return {
    title: `Change PostgreSQL database ${names.databaseName}`,
    commitMessage: `Change PostgreSQL database ${
      names.databaseName
    }: ${facts.changes.join(', ')}\n\n${requestedByLine(facts)}`,
    body: [
      `## Change PostgreSQL database ${code(names.databaseName)}`,
      requestedByLine(facts),
      '',
      ...facts.changes.map(change => `- ${change}`),
      '',
      '### What happens after merge',
      `ArgoCD syncs ${code(
        facts.folderPath,
      )}; the chart applies the change within 1-3 minutes. Data, roles and secrets are kept.`,
      ...(facts.mode === 'protected' ? ['', PROTECTION_EXPLAINED] : []),
    ].join('\n'),
  };
}

export function deletePullRequestText(facts: PullRequestFacts) {
  const { names } = facts;
  const reason = facts.reason ?? '';
  const consequence =
    facts.mode === 'protected'
      ? [
          '### The data stays',
          `${code(
            names.databaseName,
          )} is **protected**: after merge it is removed from this repository only.`,
          'The database, its data, roles and secrets stay in the cluster as an',
          '*orphaned* database that nothing manages any more.',
          '',
          '**To bring it back under management**, add the same entry again',
          `(\`name: ${names.name}\`, \`mode: protected\`) to ${code(
            `${facts.folderPath}/values.yaml`,
          )}`,
          '(or request the same database again in Backstage); nothing is lost.',
          'To delete the data for good, a platform engineer drops it by hand.',
        ]
      : [
          '### What happens after merge',
          `${code(
            names.databaseName,
          )} is a standard database: after merge its database, roles ${
            names.roles.read
          }, ${names.roles.write}, ${names.roles.admin}`,
          'and their secrets are deleted, after a final snapshot.',
          '**The data is gone once this is merged** (except in snapshots).',
        ];
  return {
    title: `Remove PostgreSQL database ${names.databaseName}`,
    commitMessage: `Remove PostgreSQL database ${
      names.databaseName
    }\n\n${requestedByLine(facts)}`,
    body: [
      `## Remove PostgreSQL database ${code(names.databaseName)}`,
      requestedByLine(facts),
      '',
      `Reason: ${reason.replace(/\s+/g, ' ').trim()}`,
      '',
      ...consequence,
    ].join('\n'),
  };
}
