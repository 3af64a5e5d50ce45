import { namesValue } from './namesValue';

describe('namesValue', () => {
  it('derives the database, roles and Kubernetes Secrets in the browser', () => {
    expect(namesValue('payments', 'orders', undefined)).toEqual({
      database: 'payments-orders',
      roles:
        'payments-orders-read, payments-orders-write, payments-orders-admin',
      kubernetesSecrets:
        'payments-orders-read, payments-orders-write, payments-orders-admin',
    });
  });

  it("takes the secret manager paths from the backend's answer for the same pair only", () => {
    const fromBackend = {
      databaseName: 'payments-orders',
      roles: { read: 'r', write: 'w', admin: 'a' },
      kubernetesSecrets: { read: 'r', write: 'w', admin: 'a' },
      secretManagerPaths: { read: 'p/r', write: 'p/w', admin: 'p/a' },
      entityRef: 'resource:default/payments-orders',
    };
    expect(namesValue('payments', 'orders', fromBackend)).toMatchObject({
      secretManagerPaths: 'p/r, p/w, p/a',
    });
    expect(
      namesValue('payments', 'ledger', fromBackend).secretManagerPaths,
    ).toBeUndefined();
  });

  it('is empty while the namespace or name is missing or breaks a rule', () => {
    expect(namesValue(undefined, 'orders', undefined)).toEqual({});
    expect(namesValue('payments', undefined, undefined)).toEqual({});
    expect(namesValue('payments', 'Orders', undefined)).toEqual({});
  });
});
