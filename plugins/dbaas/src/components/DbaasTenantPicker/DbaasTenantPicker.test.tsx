import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { DbaasApi, dbaasApiRef } from '../../api/DbaasApi';
import type { Tenant, TenantList } from '../../api/types';
import { DbaasTenantPicker } from './DbaasTenantPicker';
import type {
  DbaasTenantPickerProps,
  DbaasTenantPickerUiOptions,
} from './schema';

const payments: Tenant = {
  namespace: 'payments',
  owners: ['group:default/payments'],
};
const shared: Tenant = {
  namespace: 'shared',
  owners: ['group:default/payments', 'group:default/platform'],
};

function mockDbaasApi(tenants?: Tenant[]) {
  const api = {
    health: jest.fn(),
    validateDatabase: jest.fn(),
    listTenants: jest.fn<
      ReturnType<DbaasApi['listTenants']>,
      Parameters<DbaasApi['listTenants']>
    >(),
  };
  if (tenants) {
    api.listTenants.mockResolvedValue({ items: tenants });
  }
  return api;
}

/** Holds the field's value the way the scaffolder form does. */
function FormHarness(props: {
  initialValue?: string;
  uiOptions?: DbaasTenantPickerUiOptions;
  onChange: (value: string | undefined) => void;
}) {
  const [namespace, setNamespace] = useState(props.initialValue);
  const fieldProps = {
    name: 'namespace',
    schema: { type: 'string', title: 'Namespace' },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    idSchema: { $id: 'root_namespace' },
    formData: namespace,
    formContext: { formData: { namespace } },
    onChange: (value: string | undefined) => {
      props.onChange(value);
      setNamespace(value);
    },
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    disabled: false,
    readonly: false,
    required: true,
    rawErrors: [],
  } as unknown as DbaasTenantPickerProps;
  return <DbaasTenantPicker {...fieldProps} />;
}

async function renderPicker(
  dbaasApi: ReturnType<typeof mockDbaasApi>,
  options: {
    initialValue?: string;
    uiOptions?: DbaasTenantPickerUiOptions;
  } = {},
) {
  const onChange = jest.fn();
  renderInTestApp(
    <FormHarness
      initialValue={options.initialValue}
      uiOptions={options.uiOptions}
      onChange={onChange}
    />,
    { apis: [[dbaasApiRef, dbaasApi]] },
  );
  const select = await screen.findByRole('button', { name: /namespace/i });
  return { select, onChange };
}

/** The text under the select; the closed menu stays in the page a while. */
function helperText() {
  return document.getElementById('root_namespace-helper-text');
}

/** Opens the select once the tenants are in, and returns its options. */
async function openOptions(select: HTMLElement) {
  await waitFor(() =>
    expect(select).not.toHaveAttribute('aria-disabled', 'true'),
  );
  // The select opens on mouse down, like a native one.
  fireEvent.mouseDown(select);
  const listbox = await screen.findByRole('listbox');
  return within(listbox).getAllByRole('option');
}

describe('DbaasTenantPicker', () => {
  it('asks only for the tenants the user owns and lists them with their owners', async () => {
    const dbaasApi = mockDbaasApi([payments, shared]);
    const { select, onChange } = await renderPicker(dbaasApi);

    const options = await openOptions(select);

    expect(dbaasApi.listTenants).toHaveBeenCalledWith({
      owned: true,
      signal: expect.any(AbortSignal),
    });
    expect(options.map(option => option.textContent)).toEqual([
      'paymentsOwned by payments',
      'sharedOwned by payments, platform',
    ]);
    expect(onChange).not.toHaveBeenCalled();

    fireEvent.click(options[1]);

    expect(onChange).toHaveBeenLastCalledWith('shared');
    expect(select).toHaveTextContent('shared');
    expect(helperText()).toHaveTextContent('Owned by payments, platform');
  });

  it('shows that it is loading', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.listTenants.mockReturnValue(new Promise<TenantList>(() => {}));
    const { select } = await renderPicker(dbaasApi);

    expect(
      screen.getByRole('progressbar', { name: 'Loading tenants' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Loading the namespaces your groups own…'),
    ).toBeInTheDocument();
    expect(select).toHaveAttribute('aria-disabled', 'true');
  });

  it('picks the only tenant the user owns', async () => {
    const dbaasApi = mockDbaasApi([payments]);
    const { select, onChange } = await renderPicker(dbaasApi);

    await waitFor(() => expect(onChange).toHaveBeenCalledWith('payments'));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(select).toHaveTextContent('payments');
    expect(helperText()).toHaveTextContent('Owned by payments');
  });

  it('keeps a value the form already holds instead of picking the only tenant, and flags it when not owned', async () => {
    const dbaasApi = mockDbaasApi([payments]);
    const { select, onChange } = await renderPicker(dbaasApi, {
      initialValue: 'billing',
    });

    expect(
      await screen.findByText(
        '“billing” is not one of the namespaces your groups own',
      ),
    ).toBeInTheDocument();
    expect(select).toHaveTextContent('billing');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('explains what to do when the user owns no tenant', async () => {
    const dbaasApi = mockDbaasApi([]);
    const { select, onChange } = await renderPicker(dbaasApi);

    expect(
      await screen.findByText(
        "None of your groups owns a tenant namespace; ask the platform team to add one (dbaas.tenants or a group's dbaas.io/namespaces annotation)",
      ),
    ).toBeInTheDocument();
    expect(select).toHaveAttribute('aria-disabled', 'true');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows why the tenants could not be loaded, and loads them again on retry', async () => {
    const dbaasApi = mockDbaasApi();
    const response = new Response(
      JSON.stringify({
        error: { name: 'AuthenticationError', message: 'Missing credentials' },
        response: { statusCode: 401 },
      }),
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    dbaasApi.listTenants.mockRejectedValueOnce(
      await ResponseError.fromResponse(response),
    );
    dbaasApi.listTenants.mockResolvedValueOnce({ items: [payments, shared] });
    const { select } = await renderPicker(dbaasApi);

    expect(
      await screen.findByText(
        'Could not load the namespaces your groups own: Missing credentials',
      ),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    const options = await openOptions(select);
    expect(options.map(option => option.textContent)).toEqual([
      'paymentsOwned by payments',
      'sharedOwned by payments, platform',
    ]);
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
    expect(dbaasApi.listTenants).toHaveBeenCalledTimes(2);
  });

  it('offers only the namespaces in ui:options.allowedNamespaces, and picks the only one left', async () => {
    const billing: Tenant = {
      namespace: 'billing',
      owners: ['group:default/payments'],
    };
    const dbaasApi = mockDbaasApi([billing, payments, shared]);
    const { select, onChange } = await renderPicker(dbaasApi, {
      uiOptions: { allowedNamespaces: ['shared', 'unowned'] },
    });

    await waitFor(() => expect(onChange).toHaveBeenCalledWith('shared'));
    const options = await openOptions(select);
    expect(options.map(option => option.textContent)).toEqual([
      'sharedOwned by payments, platform',
    ]);
  });

  it('says so when allowedNamespaces leaves none of the owned tenants', async () => {
    const dbaasApi = mockDbaasApi([payments, shared]);
    const { onChange } = await renderPicker(dbaasApi, {
      uiOptions: { allowedNamespaces: ['billing'] },
    });

    expect(
      await screen.findByText(
        'None of the namespaces your groups own is allowed here (allowed: “billing”)',
      ),
    ).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('does not offer a reserved namespace and does not pick it', async () => {
    const dbaasApi = mockDbaasApi([
      { namespace: 'default', owners: ['group:default/platform'] },
      payments,
    ]);
    const { select, onChange } = await renderPicker(dbaasApi);

    await waitFor(() => expect(onChange).toHaveBeenCalledWith('payments'));
    const options = await openOptions(select);
    expect(options.map(option => option.textContent)).toEqual([
      'default“default” is a reserved namespace',
      'paymentsOwned by payments',
    ]);
    expect(options[0]).toHaveAttribute('aria-disabled', 'true');
  });
});
