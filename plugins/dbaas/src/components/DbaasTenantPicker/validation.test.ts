import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { dbaasTenantPickerValidation } from './validation';

async function validate(
  namespace: string | undefined,
  uiOptions?: { allowedNamespaces?: string[] },
) {
  const validation = createFieldValidation();
  await dbaasTenantPickerValidation(namespace as string, validation, {
    apiHolder: { get: jest.fn() },
    formData: { namespace } as any,
    schema: {},
    uiSchema: uiOptions ? { 'ui:options': uiOptions } : undefined,
  });
  return validation.__errors ?? [];
}

describe('dbaasTenantPickerValidation', () => {
  it('accepts a namespace the rules allow', async () => {
    await expect(validate('payments')).resolves.toEqual([]);
  });

  it('rejects a namespace the rules refuse', async () => {
    await expect(validate('Payments_EU')).resolves.toEqual([
      expect.stringContaining(
        "“Payments_EU” may only contain lowercase letters, digits and '-'",
      ),
    ]);
  });

  it('rejects the reserved namespaces', async () => {
    await expect(validate('kube-system')).resolves.toEqual([
      '“kube-system” is a reserved namespace (matches “kube-*”)',
    ]);
    await expect(validate('default')).resolves.toEqual([
      '“default” is a reserved namespace',
    ]);
  });

  it('rejects a namespace that ui:options.allowedNamespaces leaves out', async () => {
    await expect(
      validate('payments', { allowedNamespaces: ['payments', 'billing'] }),
    ).resolves.toEqual([]);
    await expect(
      validate('shared', { allowedNamespaces: ['payments', 'billing'] }),
    ).resolves.toEqual([
      '“shared” is not one of the namespaces allowed here: “payments”, “billing”',
    ]);
  });

  it('ignores an allowedNamespaces that is not a list', async () => {
    await expect(
      validate('billing', { allowedNamespaces: 'payments' as any }),
    ).resolves.toEqual([]);
  });

  it('leaves an empty value to required', async () => {
    await expect(validate(undefined)).resolves.toEqual([]);
    await expect(validate('')).resolves.toEqual([]);
  });
});
