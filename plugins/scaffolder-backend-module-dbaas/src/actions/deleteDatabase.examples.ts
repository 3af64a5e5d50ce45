import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Remove a database that is no longer used',
    example: yaml.stringify({
      steps: [
        {
          id: 'remove',
          action: 'dbaas:database:delete',
          name: 'Remove database',
          input: {
            namespace: 'search',
            name: 'catalog-index',
            reason: 'Replaced by the new search service',
          },
        },
      ],
    }),
  },
];
