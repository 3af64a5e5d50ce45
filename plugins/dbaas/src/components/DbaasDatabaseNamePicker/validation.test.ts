import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { ResponseError } from '@backstage/errors';
import { existsProblem } from '@dbaas/plugin-dbaas-common';
import { DbaasApi, dbaasApiRef } from '../../api/DbaasApi';
import { dbaasDatabaseNamePickerValidation } from './validation';

type ValidateDatabase = jest.Mock<
  ReturnType<DbaasApi['validateDatabase']>,
  Parameters<DbaasApi['validateDatabase']>
>;

async function validate(
  name: string,
  formData: Record<string, unknown>,
  uiOptions?: { namespaceField?: string },
  validateDatabase?: ValidateDatabase,
) {
  const validation = createFieldValidation();
  await dbaasDatabaseNamePickerValidation(name, validation, {
    apiHolder: {
      get: (ref: { id: string }) =>
        validateDatabase && ref.id === dbaasApiRef.id
          ? { validateDatabase }
          : undefined,
    } as any,
    formData: formData as any,
    schema: {},
    uiSchema: uiOptions ? { 'ui:options': uiOptions } : undefined,
  });
  return validation.__errors ?? [];
}

describe('dbaasDatabaseNamePickerValidation', () => {
  it('accepts a name the rules allow', async () => {
    await expect(validate('orders', { namespace: 'team-a' })).resolves.toEqual(
      [],
    );
  });

  it('rejects a name the rules refuse, without changing it', async () => {
    const errors = await validate('My_DB', { namespace: 'team-a' });

    expect(errors).toEqual([
      expect.stringContaining(
        "“My_DB” may only contain lowercase letters, digits and '-'",
      ),
    ]);
  });

  it('rejects a name whose admin role would not fit with the namespace from ui:options.namespaceField', async () => {
    const name = 'and-a-long-database-name-too';

    await expect(validate(name, { namespace: 'x' })).resolves.toEqual([]);
    await expect(
      validate(
        name,
        { namespace: 'x', tenant: 'a-very-long-tenant-namespace-name' },
        { namespaceField: 'tenant' },
      ),
    ).resolves.toEqual([
      expect.stringContaining(
        'over the 63-byte limit for PostgreSQL role names',
      ),
    ]);
  });

  it('leaves namespace problems to the namespace field', async () => {
    await expect(
      validate('orders', { namespace: 'kube-system' }),
    ).resolves.toEqual([]);
  });

  it('blocks a name the backend reports as taken, with its message in plain words, once', async () => {
    const validateDatabase: ValidateDatabase = jest.fn().mockResolvedValue({
      valid: false,
      problems: [
        existsProblem(
          { namespace: 'team-a', name: 'orders' },
          'defined in team-a/orders/values.yaml on main',
        ),
      ],
    });

    const errors = await validate(
      'orders',
      { namespace: 'team-a' },
      undefined,
      validateDatabase,
    );

    expect(validateDatabase).toHaveBeenCalledWith({
      namespace: 'team-a',
      name: 'orders',
    });
    expect(errors).toEqual([
      '“team-a/orders” already exists: “defined in team-a/orders/values.yaml on main”',
    ]);
  });

  it('accepts a name the backend reports as available', async () => {
    const validateDatabase: ValidateDatabase = jest
      .fn()
      .mockResolvedValue({ valid: true, problems: [] });

    await expect(
      validate('orders', { namespace: 'team-a' }, undefined, validateDatabase),
    ).resolves.toEqual([]);
  });

  it('does not ask the backend about a name the rules refuse', async () => {
    const validateDatabase: ValidateDatabase = jest.fn();

    const errors = await validate(
      'Orders',
      { namespace: 'team-a' },
      undefined,
      validateDatabase,
    );

    expect(errors).toHaveLength(1);
    expect(validateDatabase).not.toHaveBeenCalled();
  });

  it('blocks when the backend cannot be asked, saying why', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'connect ECONNREFUSED' },
        response: { statusCode: 503 },
      }),
      { status: 503, headers: { 'Content-Type': 'application/json' } },
    );
    const validateDatabase: ValidateDatabase = jest
      .fn()
      .mockRejectedValue(await ResponseError.fromResponse(response));

    await expect(
      validate('orders', { namespace: 'team-a' }, undefined, validateDatabase),
    ).resolves.toEqual([
      'Could not check whether “orders” is available: connect ECONNREFUSED',
    ]);
  });

  it('says a refused name is not available when the backend gives no reason', async () => {
    const validateDatabase: ValidateDatabase = jest
      .fn()
      .mockResolvedValue({ valid: false, problems: [] });

    await expect(
      validate('orders', { namespace: 'team-a' }, undefined, validateDatabase),
    ).resolves.toEqual(['“orders” is not available in “team-a”']);
  });
});
