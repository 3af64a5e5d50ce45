import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Request a standard database in the payments namespace',
    example: yaml.stringify({
      steps: [
        {
          id: 'database',
          action: 'dbaas:database:create',
          name: 'Request database',
          input: {
            namespace: 'payments',
            name: 'ledger',
            slackChannel: 'payments-alerts',
          },
        },
      ],
    }),
  },
  {
    description:
      'Request a protected database in an existing folder, as a draft with reviewers',
    example: yaml.stringify({
      steps: [
        {
          id: 'database',
          action: 'dbaas:database:create',
          name: 'Request database',
          input: {
            namespace: 'checkout',
            name: 'orders-archive',
            folder: 'orders',
            mode: 'protected',
            draft: true,
            teamReviewers: ['platform'],
            labels: ['database'],
          },
        },
      ],
    }),
  },
];
