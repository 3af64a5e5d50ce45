import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Turn on deletion protection',
    example: yaml.stringify({
      steps: [
        {
          id: 'protect',
          action: 'dbaas:database:update',
          name: 'Protect database',
          input: { namespace: 'payments', name: 'payouts', mode: 'protected' },
        },
      ],
    }),
  },
  {
    description: "Move a database's folder to a newer chart version",
    example: yaml.stringify({
      steps: [
        {
          id: 'chart',
          action: 'dbaas:database:update',
          name: 'Upgrade chart',
          input: {
            namespace: 'payments',
            name: 'ledger',
            chartVersion: '1.1.0',
          },
        },
      ],
    }),
  },
];
