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

  it('registers at least the PostgreSQL database template', () => {
    expect(targets).toContain('./postgres-database/template.yaml');
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
