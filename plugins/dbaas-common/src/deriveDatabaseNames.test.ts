import { InputError } from '@backstage/errors';
import { deriveDatabaseNames } from './deriveDatabaseNames';

describe('deriveDatabaseNames', () => {
  it('derives every name of a database', () => {
    expect(deriveDatabaseNames('team-a', 'orders')).toEqual({
      namespace: 'team-a',
      name: 'orders',
      databaseName: 'team-a-orders',
      roles: {
        read: 'team-a-orders-read',
        write: 'team-a-orders-write',
        admin: 'team-a-orders-admin',
      },
      kubernetesSecrets: {
        read: 'team-a-orders-read',
        write: 'team-a-orders-write',
        admin: 'team-a-orders-admin',
      },
      secretManagerPaths: {
        read: 'customer/team-a/team-a-orders-read',
        write: 'customer/team-a/team-a-orders-write',
        admin: 'customer/team-a/team-a-orders-admin',
      },
      entityName: 'team-a-orders',
      entityRef: 'resource:default/team-a-orders',
      annotation: 'team-a/orders',
    });
  });

  it.each([
    ['secret/{database}/{access}', 'secret/team-a-orders/write'],
    ['{namespace}/{name}/{access}', 'team-a/orders/write'],
    ['rds/{role}', 'rds/team-a-orders-write'],
    [
      '{namespace}/{name}/{database}/{role}/{access}',
      'team-a/orders/team-a-orders/team-a-orders-write/write',
    ],
  ])('fills the secret path template %j', (secretPathTemplate, writePath) => {
    const names = deriveDatabaseNames('team-a', 'orders', {
      secretPathTemplate,
    });
    expect(names.secretManagerPaths.write).toBe(writePath);
  });

  it('refuses an invalid pair with every problem', () => {
    const derive = () => deriveDatabaseNames('Team', '-db');
    expect(derive).toThrow(InputError);
    expect(derive).toThrow(
      "Invalid database: `Team` may only contain lowercase letters, digits and '-' (found `T`); `-db` must start with a lowercase letter",
    );
  });

  it('refuses names that do not fit, rather than truncating them', () => {
    expect(() => deriveDatabaseNames('a'.repeat(20), 'b'.repeat(37))).toThrow(
      /64 bytes long, over the 63-byte limit/,
    );
    expect(
      deriveDatabaseNames('a'.repeat(20), 'b'.repeat(36)).roles.admin,
    ).toHaveLength(63);
  });

  it('derives names in reserved namespaces, which is a policy question', () => {
    expect(deriveDatabaseNames('kube-system', 'x').databaseName).toBe(
      'kube-system-x',
    );
  });

  it('throws a configuration error for an unknown placeholder', () => {
    const derive = () =>
      deriveDatabaseNames('team-a', 'orders', {
        secretPathTemplate: 'customer/{tenant}/{role}',
      });
    expect(derive).toThrow(
      'Invalid secret path template `customer/{tenant}/{role}`: Unknown placeholder `{tenant}`; the supported placeholders are {namespace}, {name}, {database}, {role}, {access}',
    );
    expect(derive).toThrow(expect.not.objectContaining({ name: 'InputError' }));
  });
});
