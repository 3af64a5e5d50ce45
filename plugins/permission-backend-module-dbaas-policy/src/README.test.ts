import { parseEntityRef } from '@backstage/catalog-model';
import {
  Permission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { dbaasPermissions } from '@dbaas/plugin-dbaas-common';
import { dbaasDatabaseRules, dbaasTenantRules } from '@dbaas/plugin-dbaas-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

// The README is what adopters copy from: its examples are checked here
// against the code they describe.
const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

type Rule = {
  name: string;
  paramsSchema?: { parse(value: unknown): unknown; shape?: object };
  apply(resource: any, params: any): boolean;
};
const rulesByResourceType: Record<string, Rule[]> = {
  'dbaas-database': Object.values(dbaasDatabaseRules) as Rule[],
  'dbaas-tenant': Object.values(dbaasTenantRules) as Rule[],
};

/** The fenced block that follows `<!-- checked: <name> -->`. */
function checkedBlock(name: string): string {
  const match = readme.match(
    new RegExp(
      `<!-- checked: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\`\\n`,
    ),
  );
  if (!match) {
    throw new Error(`README.md has no block marked 'checked: ${name}'`);
  }
  return match[1];
}

function permissionNamed(name: string): Permission {
  const permission = dbaasPermissions.find(p => p.name === name);
  if (!permission) {
    throw new Error(`'${name}' is not a dbaas permission`);
  }
  return permission;
}

// Code compared without its layout, so that line wrapping does not matter.
const withoutLayout = (code: string) =>
  code.replace(/\s+/g, '').replace(/,([}\])])/g, '$1');

describe('README.md', () => {
  it("shows the example policy of one's own as compiled and tested", () => {
    const example = fs
      .readFileSync(
        path.resolve(__dirname, 'examples/myPermissionPolicy.ts'),
        'utf8',
      )
      .replace(/^(\/\/.*\n)+/, '')
      .replace(
        "from '../index'",
        "from '@dbaas/plugin-permission-backend-module-dbaas-policy'",
      );
    const shown = readme.match(/```ts\n(import[\s\S]*?)```/);
    expect(shown).not.toBeNull();
    expect(withoutLayout(shown![1])).toBe(withoutLayout(example));
  });

  it.each(dbaasPermissions.map(p => [p.name, p]))(
    'lists %s with its type, resource type and action',
    (name, permission) => {
      const resourceType = isResourcePermission(permission)
        ? `\`${permission.resourceType}\``
        : '';
      const row = `| \`${name}\` | ${permission.type} | ${resourceType} | \`${permission.attributes.action}\` |`;
      expect(readme).toContain(row.replace(/ {2,}/g, ' '));
    },
  );

  it('lists the rules the dbaas backend registers, with their params', () => {
    const names = new Set(
      Object.values(rulesByResourceType).flatMap(rules =>
        rules.map(rule => rule.name),
      ),
    );
    expect([...names].sort()).toEqual(['IS_IN_NAMESPACE', 'IS_TENANT_OWNER']);
    for (const name of names) {
      const resourceTypes = Object.entries(rulesByResourceType)
        .filter(([, rules]) => rules.some(rule => rule.name === name))
        .map(([resourceType]) => `\`${resourceType}\``)
        .join(', ');
      const rule = rulesByResourceType['dbaas-database'].find(
        r => r.name === name,
      )!;
      const params = Object.keys(rule.paramsSchema?.shape ?? {});
      expect(params).toHaveLength(1);
      expect(readme).toContain(
        `| \`${name}\` | ${resourceTypes} | \`${params[0]}\`: string[]`,
      );
    }
  });

  describe('RBAC examples', () => {
    const csv = checkedBlock('rbac-policy.csv')
      .split('\n')
      .filter(line => line.trim() !== '')
      .map(line => line.split(',').map(field => field.trim()));
    const grants = csv.filter(([type]) => type === 'p');
    const memberships = csv.filter(([type]) => type === 'g');
    const conditional = parseAllDocuments(
      checkedBlock('conditional-policies.yaml'),
    ).map(doc => doc.toJS());

    it('grants dbaas permissions by name with their action', () => {
      expect(csv.every(([type]) => type === 'p' || type === 'g')).toBe(true);
      for (const [, role, name, action, effect] of grants) {
        expect(role).toMatch(/^role:default\//);
        expect(action).toBe(permissionNamed(name).attributes.action);
        expect(effect).toBe('allow');
      }
      for (const [, member, role, ...rest] of memberships) {
        expect(rest).toEqual([]);
        expect(() => parseEntityRef(member)).not.toThrow();
        expect(grants.some(([, grantRole]) => grantRole === role)).toBe(true);
      }
    });

    it('gives the platform role every dbaas permission', () => {
      const platform = grants
        .filter(([, role]) => role === 'role:default/dbaas-platform')
        .map(([, , name]) => name);
      expect(platform.sort()).toEqual(dbaasPermissions.map(p => p.name).sort());
    });

    it('writes conditional policies the dbaas backend can evaluate', () => {
      expect(conditional.length).toBeGreaterThan(0);
      for (const policy of conditional) {
        expect(policy).toMatchObject({
          result: 'CONDITIONAL',
          pluginId: 'dbaas',
        });
        // The RBAC plugin attaches conditions only to roles of the CSV file.
        expect(grants.some(([, role]) => role === policy.roleEntityRef)).toBe(
          true,
        );
        for (const { name, action } of policy.permissionMapping) {
          const permission = permissionNamed(name);
          expect(permission.attributes.action).toBe(action);
          expect(
            isResourcePermission(permission) && permission.resourceType,
          ).toBe(policy.resourceType);
        }
        const { rule, resourceType, params } = policy.conditions;
        expect(resourceType).toBe(policy.resourceType);
        const registered = rulesByResourceType[resourceType].find(
          r => r.name === rule,
        );
        expect(registered).toBeDefined();
        expect(() =>
          registered!.paramsSchema!.parse(
            withOwnerRefs(params, ['group:default/payments']),
          ),
        ).not.toThrow();
      }
    });

    it("limits tenant owners to their own tenants' connections, restores, personal access, rotations and billing", () => {
      const ana = ['user:default/ana', 'group:default/payments'];
      const conditioned = conditional.flatMap(policy =>
        policy.permissionMapping.map(({ name }: { name: string }) => {
          const { rule, resourceType, params } = policy.conditions;
          const apply = (resource: object) =>
            rulesByResourceType[resourceType]
              .find(r => r.name === rule)!
              .apply(
                { name: 'ledger', ...resource },
                withOwnerRefs(params, ana),
              );
          expect(
            apply({
              namespace: 'payments',
              owners: ['group:default/payments'],
            }),
          ).toBe(true);
          expect(
            apply({
              namespace: 'checkout',
              owners: ['group:default/checkout'],
            }),
          ).toBe(false);
          return name;
        }),
      );
      expect(conditioned.sort()).toEqual([
        'dbaas.access.request',
        'dbaas.billing.read',
        'dbaas.connection.read',
        'dbaas.credentials.rotate',
        'dbaas.restore.request',
      ]);
    });
  });
});

/** What the RBAC plugin does with `$ownerRefs` in a condition's params. */
function withOwnerRefs(params: Record<string, unknown>, ownerRefs: string[]) {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      Array.isArray(value)
        ? value.flatMap(v => (v === '$ownerRefs' ? ownerRefs : [v]))
        : value,
    ]),
  );
}
