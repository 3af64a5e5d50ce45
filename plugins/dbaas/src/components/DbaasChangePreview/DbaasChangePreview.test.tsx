import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { dbaasApiRef } from '../../api/DbaasApi';
import {
  mockDbaasApi,
  readyDatabase,
  responseError,
} from '../DatabaseTab/testFixtures';
import { DbaasChangePreview } from './DbaasChangePreview';
import { previewFingerprint } from './previewRequest';
import type { DbaasChangePreviewProps } from './schema';

const DIFF = `--- a/payments/ledger/values.yaml
+++ b/payments/ledger/values.yaml
@@ -2,3 +2,3 @@
   - name: ledger
-    mode: protected
+    mode: standard`;

function mockScaffolderApi() {
  return { dryRun: jest.fn() };
}

function dryRunAnswer(output: Record<string, unknown>) {
  return { output, log: [], steps: [], directoryContents: [] };
}

/** Holds the field's value the way the scaffolder form does. */
function FormHarness(props: {
  values: Record<string, unknown>;
  uiOptions: Record<string, unknown>;
  onChange: (value: string | undefined) => void;
}) {
  const [value, setValue] = useState<string | undefined>();
  const fieldProps = {
    name: 'preview',
    schema: { type: 'string', title: 'Pull request' },
    uiSchema: { 'ui:options': props.uiOptions },
    idSchema: { $id: 'root_preview' },
    formData: value,
    formContext: { formData: { ...props.values, preview: value } },
    onChange: (next: string | undefined) => {
      props.onChange(next);
      setValue(next);
    },
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    disabled: false,
    readonly: false,
    required: true,
    rawErrors: [],
  } as unknown as DbaasChangePreviewProps;
  return <DbaasChangePreview {...fieldProps} />;
}

function renderField(options: {
  values: Record<string, unknown>;
  action?: string;
  scaffolderApi?: ReturnType<typeof mockScaffolderApi>;
  dbaasApi?: ReturnType<typeof mockDbaasApi>;
}) {
  const scaffolderApi = options.scaffolderApi ?? mockScaffolderApi();
  const dbaasApi = options.dbaasApi ?? mockDbaasApi();
  const onChange = jest.fn();
  renderInTestApp(
    <FormHarness
      values={options.values}
      uiOptions={options.action ? { action: options.action } : {}}
      onChange={onChange}
    />,
    {
      apis: [
        [scaffolderApiRef, scaffolderApi],
        [dbaasApiRef, dbaasApi],
      ],
    },
  );
  return { scaffolderApi, dbaasApi, onChange };
}

describe('DbaasChangePreview', () => {
  it('dry-runs the update with the form values as parameters and shows the diff', async () => {
    const scaffolderApi = mockScaffolderApi();
    scaffolderApi.dryRun.mockResolvedValue(
      dryRunAnswer({
        diff: DIFF,
        branchName: 'dbaas/update/payments/ledger',
        databaseName: 'payments-ledger',
      }),
    );
    const values = {
      namespace: 'payments',
      name: 'ledger',
      mode: 'standard',
      unrelated: 'not sent',
    };
    const { onChange } = renderField({
      values,
      action: 'dbaas:database:update',
      scaffolderApi,
    });

    const diff = await screen.findByTestId('dbaas-change-preview-diff');
    await waitFor(() => expect(diff).toHaveTextContent('+ mode: standard'));
    expect(
      screen.getByText('dbaas/update/payments/ledger', { selector: 'code' }),
    ).toBeInTheDocument();
    expect(scaffolderApi.dryRun).toHaveBeenCalledTimes(1);
    const request = scaffolderApi.dryRun.mock.calls[0][0];
    expect(request.values).toEqual({
      namespace: 'payments',
      name: 'ledger',
      mode: 'standard',
    });
    expect(request.directoryContents).toEqual([]);
    expect(request.template.kind).toBe('Template');
    expect(request.template.spec.steps).toEqual([
      expect.objectContaining({
        action: 'dbaas:database:update',
        input: {
          namespace: '${{ parameters.namespace }}',
          name: '${{ parameters.name }}',
          mode: '${{ parameters.mode }}',
        },
      }),
    ]);
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        previewFingerprint('dbaas:database:update', {
          namespace: 'payments',
          name: 'ledger',
          mode: 'standard',
        }),
      ),
    );
  });

  it('says what deleting a protected database keeps, above the diff', async () => {
    const scaffolderApi = mockScaffolderApi();
    scaffolderApi.dryRun.mockResolvedValue(
      dryRunAnswer({ diff: DIFF, branchName: 'dbaas/delete/payments/ledger' }),
    );
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockResolvedValue(readyDatabase({ mode: 'protected' }));
    renderField({
      values: { namespace: 'payments', name: 'ledger', reason: 'replaced' },
      action: 'dbaas:database:delete',
      scaffolderApi,
      dbaasApi,
    });

    const consequences = await screen.findByTestId(
      'dbaas-deletion-consequences',
    );
    expect(consequences).toHaveTextContent(
      'payments-ledger is protected: its data stays',
    );
    expect(consequences).toHaveTextContent(
      'nothing is dropped, so no final snapshot is taken either',
    );
    expect(consequences).toHaveTextContent('Its status becomes orphaned');
    expect(consequences).toHaveTextContent(
      'brings it back under management with its data',
    );
    expect(dbaasApi.getDatabase).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      expect.anything(),
    );
    await screen.findByTestId('dbaas-change-preview-diff');
    expect(scaffolderApi.dryRun.mock.calls[0][0].values).toEqual({
      namespace: 'payments',
      name: 'ledger',
      reason: 'replaced',
    });
  });

  it('says that deleting a standard database deletes its data, and what the final snapshot is', async () => {
    const scaffolderApi = mockScaffolderApi();
    scaffolderApi.dryRun.mockResolvedValue(dryRunAnswer({ diff: DIFF }));
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockResolvedValue(readyDatabase({ mode: 'standard' }));
    renderField({
      values: { namespace: 'payments', name: 'ledger', reason: 'replaced' },
      action: 'dbaas:database:delete',
      scaffolderApi,
      dbaasApi,
    });

    const consequences = await screen.findByTestId(
      'dbaas-deletion-consequences',
    );
    expect(consequences).toHaveTextContent(
      'payments-ledger is standard: its data is deleted',
    );
    expect(consequences).toHaveTextContent(
      'the suite first takes a final snapshot, and drops nothing if that fails',
    );
    expect(consequences).toHaveTextContent(
      'The portal cannot restore a deleted database',
    );
  });

  it('shows why the backend refuses, keeps the field empty, and tries again on demand', async () => {
    const scaffolderApi = mockScaffolderApi();
    scaffolderApi.dryRun.mockRejectedValueOnce(
      await responseError(
        403,
        'Forbidden',
        "Namespace 'payments' belongs to group:default/payments; none of your groups owns it",
      ),
    );
    const { onChange } = renderField({
      values: { namespace: 'payments', name: 'ledger', mode: 'protected' },
      action: 'dbaas:database:update',
      scaffolderApi,
    });

    const error = await screen.findByTestId('dbaas-change-preview-error');
    expect(error).toHaveTextContent(
      "You may not change this database: Namespace 'payments' belongs to group:default/payments; none of your groups owns it",
    );
    expect(onChange).not.toHaveBeenCalledWith(expect.any(String));

    scaffolderApi.dryRun.mockResolvedValueOnce(dryRunAnswer({ diff: DIFF }));
    fireEvent.click(within(error).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('dbaas-change-preview-diff');
    expect(scaffolderApi.dryRun).toHaveBeenCalledTimes(2);
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(expect.any(String)),
    );
  });

  it('reports a dry run that gives no diff instead of an empty preview', async () => {
    const scaffolderApi = mockScaffolderApi();
    scaffolderApi.dryRun.mockResolvedValue(dryRunAnswer({ diff: '' }));
    renderField({
      values: { namespace: 'payments', name: 'ledger', chartVersion: '1.0.2' },
      action: 'dbaas:database:update',
      scaffolderApi,
    });

    expect(
      await screen.findByTestId('dbaas-change-preview-error'),
    ).toHaveTextContent('The dry run gave no diff');
  });

  it('asks for what is missing before previewing anything', async () => {
    const { scaffolderApi } = renderField({
      values: { namespace: 'payments', name: 'ledger' },
      action: 'dbaas:database:update',
    });

    expect(
      await screen.findByText(
        /Fill in the new mode or chart version on the previous page/,
      ),
    ).toBeInTheDocument();
    expect(scaffolderApi.dryRun).not.toHaveBeenCalled();
  });

  it('names the option a template forgot', async () => {
    const { scaffolderApi } = renderField({
      values: { namespace: 'payments', name: 'ledger', mode: 'standard' },
    });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "This template's DbaasChangePreview field needs ui:options.action, one of dbaas:database:update, dbaas:database:delete.",
    );
    expect(scaffolderApi.dryRun).not.toHaveBeenCalled();
  });
});
