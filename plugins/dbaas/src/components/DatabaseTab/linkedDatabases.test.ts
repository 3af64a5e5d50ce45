import type { Entity } from '@backstage/catalog-model';
import {
  componentEntity as component,
  dependsOn,
  resourceEntity as resource,
} from './testFixtures';
import {
  databaseCandidateRefs,
  isDbaasDatabaseAvailable,
  linkedDatabases,
} from './linkedDatabases';

describe('isDbaasDatabaseAvailable', () => {
  it.each([
    [
      'a Resource of type database with the annotation',
      resource('payments-ledger', 'payments/ledger'),
      true,
    ],
    [
      'a Resource of type database without the annotation',
      resource('legacy-db'),
      true,
    ],
    [
      'a Resource of another type',
      resource('bucket', undefined, 's3-bucket'),
      false,
    ],
    [
      'a Resource of another type with the annotation',
      resource('odd', 'payments/ledger', 'other'),
      true,
    ],
    [
      'a Component with the annotation',
      component({
        metadata: {
          name: 'c',
          annotations: { 'dbaas.io/database': 'payments/ledger' },
        },
      }),
      true,
    ],
    [
      'a Component depending on a Resource',
      component({ relations: dependsOn('resource:default/payments-ledger') }),
      true,
    ],
    [
      'a Component depending only on Components',
      component({ relations: dependsOn('component:default/auth') }),
      false,
    ],
    [
      'a Component with other relations to Resources',
      component({
        relations: [{ type: 'ownedBy', targetRef: 'resource:default/x' }],
      }),
      false,
    ],
    ['a Component with no relations', component(), false],
    [
      'a System depending on a Resource',
      {
        ...component({ relations: dependsOn('resource:default/x') }),
        kind: 'System',
      },
      false,
    ],
  ] as Array<[string, Entity, boolean]>)('%s: %s', (_, entity, expected) => {
    expect(isDbaasDatabaseAvailable(entity)).toBe(expected);
  });
});

describe('databaseCandidateRefs', () => {
  it('lists the Resources a Component depends on, once each', () => {
    expect(
      databaseCandidateRefs(
        component({
          relations: [
            ...dependsOn(
              'resource:default/payments-ledger',
              'component:default/auth',
              'resource:default/payments-ledger',
              'resource:ops/audit-log',
              'not a ref::',
            ),
            { type: 'ownedBy', targetRef: 'resource:default/other' },
          ],
        }),
      ),
    ).toEqual(['resource:default/payments-ledger', 'resource:ops/audit-log']);
  });

  it('asks nothing for a Resource', () => {
    expect(
      databaseCandidateRefs({
        ...resource('payments-ledger'),
        relations: dependsOn('resource:default/other'),
      }),
    ).toEqual([]);
  });
});

describe('linkedDatabases', () => {
  it('puts the entity’s own database first, then those of its dependencies, each once', () => {
    const entity = component({
      metadata: {
        name: 'ledger-api',
        namespace: 'default',
        annotations: { 'dbaas.io/database': 'payments/ledger' },
      },
    });

    expect(
      linkedDatabases(entity, [
        resource('payments-ledger', 'payments/ledger'),
        resource('payments-audit', 'payments/audit'),
        resource('bucket', undefined, 's3-bucket'),
        undefined,
        null,
      ]),
    ).toEqual({
      databases: [
        {
          ref: { namespace: 'payments', name: 'ledger' },
          entityRef: 'component:default/ledger-api',
        },
        {
          ref: { namespace: 'payments', name: 'audit' },
          entityRef: 'resource:default/payments-audit',
        },
      ],
      problems: [],
    });
  });

  it('reports annotations it cannot read', () => {
    expect(
      linkedDatabases(component(), [resource('broken', 'Payments/Ledger_DB')]),
    ).toEqual({
      databases: [],
      problems: [
        {
          entityRef: 'resource:default/broken',
          message: expect.stringMatching(
            /^Invalid dbaas.io\/database annotation `Payments\/Ledger_DB`: /,
          ),
        },
      ],
    });
  });
});
