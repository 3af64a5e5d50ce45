import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { dbaasDatabaseNamePickerValidation } from './validation';

async function validate(
  name: string,
  formData: Record<string, unknown>,
  uiOptions?: { namespaceField?: string },
) {
  const validation = createFieldValidation();
  await dbaasDatabaseNamePickerValidation(name, validation, {
    apiHolder: { get: jest.fn() },
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
        "`My_DB` may only contain lowercase letters, digits and '-'",
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
});
