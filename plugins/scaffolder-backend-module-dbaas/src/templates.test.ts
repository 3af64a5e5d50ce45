import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'yaml';
import {
  createDbaasDatabaseCreateAction,
  createDbaasDatabaseDeleteAction,
  createDbaasDatabaseUpdateAction,
} from './actions';

// The templates this package ships (templates/) must only use our actions
// with inputs those actions accept, so a renamed input fails here and not in
// a user's form.
const templatesDir = join(__dirname, '..', 'templates');
const actions = [
  createDbaasDatabaseCreateAction,
  createDbaasDatabaseUpdateAction,
  createDbaasDatabaseDeleteAction,
].map(create => create({} as any));

describe('templates', () => {
  const location = yaml.parse(
    readFileSync(join(templatesDir, 'all.yaml'), 'utf8'),
  );
  const targets: string[] = location.spec.targets;

  it('registers the request template and the lifecycle templates', () => {
    expect(targets).toEqual(
      expect.arrayContaining([
        './postgres-database/template.yaml',
        './postgres-database-mode/template.yaml',
        './postgres-database-chart-version/template.yaml',
        './postgres-database-delete/template.yaml',
      ]),
    );
  });

  // The preview field (DbaasChangePreview of @dbaas/plugin-dbaas) dry-runs
  // the action it names with the form's values of the same names: it shows
  // the pull request the step opens only if the step runs that action with
  // exactly those values, and it comes after every field it reads.
  it.each([
    ['./postgres-database-mode/template.yaml', 'dbaas:database:update'],
    ['./postgres-database-chart-version/template.yaml', 'dbaas:database:update'],
    ['./postgres-database-delete/template.yaml', 'dbaas:database:delete'],
  ])('%s previews the pull request its step opens', (target, actionId) => {
    const template = yaml.parse(
      readFileSync(join(templatesDir, target), 'utf8'),
    );
    const pages: Array<{ properties: Record<string, any> }> =
      template.spec.parameters;
    const lastPage = pages[pages.length - 1];
    const previews = Object.entries(lastPage.properties).filter(
      ([, property]) => property['ui:field'] === 'DbaasChangePreview',
    );
    expect(previews).toHaveLength(1);
    const [previewName, preview] = previews[0];
    expect(preview['ui:options']).toEqual({ action: actionId });
    expect((lastPage as any).required).toContain(previewName);

    const steps = template.spec.steps.filter((step: any) =>
      step.action.startsWith('dbaas:'),
    );
    expect(steps).toHaveLength(1);
    expect(steps[0].action).toBe(actionId);
    const earlierFields = pages
      .slice(0, -1)
      .flatMap(page => Object.keys(page.properties));
    for (const [key, value] of Object.entries(steps[0].input)) {
      expect(value).toBe(`\${{ parameters.${key} }}`);
      expect(earlierFields).toContain(key);
    }
  });

  it.each(targets)('%s uses dbaas actions with known inputs', target => {
    const template = yaml.parse(
      readFileSync(join(templatesDir, target), 'utf8'),
    );
    expect(template.kind).toBe('Template');
    for (const step of template.spec.steps) {
      const action = actions.find(a => a.id === step.action);
      if (!step.action.startsWith('dbaas:')) {
        continue;
      }
      expect(action).toBeDefined();
      const schema = action!.schema?.input as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      for (const key of Object.keys(step.input)) {
        expect(Object.keys(schema.properties)).toContain(key);
      }
      for (const key of schema.required ?? []) {
        expect(Object.keys(step.input)).toContain(key);
      }
    }
  });

  describe('postgres-database', () => {
    const template = yaml.parse(
      readFileSync(
        join(templatesDir, 'postgres-database', 'template.yaml'),
        'utf8',
      ),
    );
    const properties = Object.assign(
      {},
      ...template.spec.parameters.map(
        (step: { properties: object }) => step.properties,
      ),
    );

    it('labels choices with ui:enumNames, not the deprecated enumNames', () => {
      expect(JSON.stringify(template.spec.parameters)).not.toContain(
        '"enumNames"',
      );
      expect(properties.mode['ui:enumNames']).toHaveLength(
        properties.mode.enum.length,
      );
    });

    it('shows the resulting names in the form and the Review step, from the two pickers', () => {
      expect(properties.names).toMatchObject({
        type: 'object',
        'ui:field': 'DbaasDatabaseNames',
        'ui:options': { namespaceField: 'namespace', nameField: 'name' },
      });
      expect(Object.keys(properties.names.properties)).toEqual([
        'database',
        'roles',
        'kubernetesSecrets',
        'secretManagerPaths',
      ]);
      // The pickers show their own problems, once.
      expect(properties.namespace['ui:hideError']).toBe(true);
      expect(properties.name['ui:hideError']).toBe(true);
    });

    it("links to the database's page, which shows it before its catalog entity exists", () => {
      expect(template.spec.output.links).toEqual([
        expect.objectContaining({
          title: 'Database status',
          url: '/dbaas/databases/${{ parameters.namespace }}/${{ parameters.name }}',
        }),
        expect.objectContaining({
          title: 'Pull request',
          url: '${{ steps.database.output.pullRequestUrl }}',
        }),
      ]);
      expect(JSON.stringify(template.spec.output)).not.toContain('entityRef');
    });
  });
});
