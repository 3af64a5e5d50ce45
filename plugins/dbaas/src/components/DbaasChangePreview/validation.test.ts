import { previewFingerprint, previewInputFrom } from './previewRequest';
import { dbaasChangePreviewValidation } from './validation';

function validate(
  value: string | undefined,
  formData: Record<string, unknown>,
  action: unknown = 'dbaas:database:delete',
) {
  const errors: string[] = [];
  dbaasChangePreviewValidation(
    value as string,
    { addError: (message: string) => errors.push(message) } as any,
    {
      formData,
      uiSchema: { 'ui:options': { action } },
    } as any,
  );
  return errors;
}

const values = { namespace: 'payments', name: 'ledger', reason: 'replaced' };

describe('dbaasChangePreviewValidation', () => {
  it('passes a preview of the values as they are', () => {
    expect(
      validate(previewFingerprint('dbaas:database:delete', values), values),
    ).toEqual([]);
  });

  it('refuses a preview of other values (changed on an earlier page)', () => {
    const stale = previewFingerprint('dbaas:database:delete', values);
    expect(validate(stale, { ...values, reason: 'another reason' })).toEqual([
      'The pull request has not been previewed for these values yet: wait for its diff, or fix what the preview reports',
    ]);
  });

  it('refuses a preview made for another action', () => {
    expect(
      validate(
        previewFingerprint('dbaas:database:update', values),
        values,
        'dbaas:database:delete',
      ),
    ).toHaveLength(1);
  });

  it('names a wrong ui:options.action', () => {
    expect(validate('x', values, 'dbaas:database:create')).toEqual([
      'ui:options.action must be dbaas:database:update or dbaas:database:delete, not "dbaas:database:create"',
    ]);
  });
});

describe('previewInputFrom', () => {
  it('takes only the action inputs, non-empty strings', () => {
    expect(
      previewInputFrom('dbaas:database:update', {
        namespace: 'payments',
        name: 'ledger',
        mode: '',
        chartVersion: '1.0.2',
        reason: 'not an update input',
        preview: 'x',
      }),
    ).toEqual({
      state: 'complete',
      input: { namespace: 'payments', name: 'ledger', chartVersion: '1.0.2' },
    });
  });

  it('lists what is missing', () => {
    expect(previewInputFrom('dbaas:database:update', { name: 7 })).toEqual({
      state: 'incomplete',
      missing: ['namespace', 'name', 'mode or chartVersion'],
    });
    expect(previewInputFrom('dbaas:database:delete', undefined)).toEqual({
      state: 'incomplete',
      missing: ['namespace', 'name', 'reason'],
    });
  });
});
