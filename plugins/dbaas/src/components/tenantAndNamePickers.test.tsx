import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  FieldExtensionOptions,
  TemplateParameterSchema,
} from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { DbaasApi, dbaasApiRef } from '../api/DbaasApi';
import type { Tenant } from '../api/types';
import {
  DBAAS_DATABASE_NAME_PICKER_FIELD,
  DbaasDatabaseNamePicker,
  dbaasDatabaseNamePickerValidation,
} from './DbaasDatabaseNamePicker';
import {
  DBAAS_DATABASE_NAMES_FIELD,
  DbaasDatabaseNames,
} from './DbaasDatabaseNames';
import {
  DBAAS_TENANT_PICKER_FIELD,
  DbaasTenantPicker,
  dbaasTenantPickerValidation,
} from './DbaasTenantPicker';

// The template snippet of the README: the tenant picker fills `namespace`,
// which the name picker reads by default.
const manifest: TemplateParameterSchema = {
  title: 'PostgreSQL database',
  steps: [
    {
      title: 'Database',
      schema: {
        type: 'object',
        required: ['namespace', 'name'],
        properties: {
          namespace: {
            title: 'Namespace',
            type: 'string',
            'ui:field': 'DbaasTenantPicker',
          },
          name: {
            title: 'Database name',
            type: 'string',
            'ui:field': 'DbaasDatabaseNamePicker',
          },
        },
      },
    },
  ],
};

const extensions = [
  {
    name: DBAAS_TENANT_PICKER_FIELD,
    component: DbaasTenantPicker,
    validation: dbaasTenantPickerValidation,
  },
  {
    name: DBAAS_DATABASE_NAME_PICKER_FIELD,
    component: DbaasDatabaseNamePicker,
    validation: dbaasDatabaseNamePickerValidation,
  },
  { name: DBAAS_DATABASE_NAMES_FIELD, component: DbaasDatabaseNames },
] as FieldExtensionOptions<any, any>[];

// The shipped template's first step: the pickers show their own problems
// (ui:hideError), and the names the database gets follow them.
const templateManifest: TemplateParameterSchema = {
  title: 'PostgreSQL database',
  steps: [
    {
      title: 'Database',
      schema: {
        type: 'object',
        required: ['namespace', 'name'],
        properties: {
          namespace: {
            title: 'Namespace',
            type: 'string',
            'ui:field': 'DbaasTenantPicker',
            'ui:hideError': true,
          },
          name: {
            title: 'Database name',
            type: 'string',
            'ui:field': 'DbaasDatabaseNamePicker',
            'ui:hideError': true,
          },
          names: {
            title: 'Resulting names',
            type: 'object',
            'ui:field': 'DbaasDatabaseNames',
            properties: {
              database: { title: 'Database', type: 'string' },
              roles: { title: 'Roles', type: 'string' },
              kubernetesSecrets: {
                title: 'Kubernetes Secrets',
                type: 'string',
              },
              secretManagerPaths: {
                title: 'Secret manager paths',
                type: 'string',
              },
            },
          },
        },
      },
    },
  ],
};

const payments: Tenant = {
  namespace: 'payments',
  owners: ['group:default/payments'],
};
const shared: Tenant = {
  namespace: 'shared',
  owners: ['group:default/payments', 'group:default/platform'],
};

function mockDbaasApi(tenants: Tenant[]) {
  return {
    health: jest.fn(),
    validateDatabase: jest
      .fn<
        ReturnType<DbaasApi['validateDatabase']>,
        Parameters<DbaasApi['validateDatabase']>
      >()
      .mockResolvedValue({ valid: true, problems: [] }),
    listTenants: jest
      .fn<
        ReturnType<DbaasApi['listTenants']>,
        Parameters<DbaasApi['listTenants']>
      >()
      .mockResolvedValue({ items: tenants }),
  };
}

async function renderTemplate(
  dbaasApi: ReturnType<typeof mockDbaasApi>,
  initialState?: Record<string, string>,
  shown: TemplateParameterSchema = manifest,
) {
  const onCreate = jest.fn(async () => {});
  renderInTestApp(
    <Stepper
      manifest={shown}
      extensions={extensions}
      initialState={initialState}
      onCreate={onCreate}
    />,
    { apis: [[dbaasApiRef, dbaasApi]] },
  );
  const namespace = await screen.findByRole('button', { name: /namespace/i });
  const name = screen.getByRole('textbox', { name: /database name/i });
  return { namespace, name, onCreate };
}

describe('DbaasTenantPicker and DbaasDatabaseNamePicker in one template', () => {
  beforeEach(() => {
    // The stepper scrolls to the top of each step; jsdom cannot scroll.
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('checks the name in the tenant the tenant picker preselected, and creates with both', async () => {
    const dbaasApi = mockDbaasApi([payments]);
    const { namespace, name, onCreate } = await renderTemplate(dbaasApi);

    await waitFor(() => expect(namespace).toHaveTextContent('payments'));
    fireEvent.change(name, { target: { value: 'orders' } });

    expect(
      await screen.findByText(
        '✓ “orders” is available in “payments”',
        undefined,
        { timeout: 2000 },
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.validateDatabase).toHaveBeenLastCalledWith(
      { namespace: 'payments', name: 'orders' },
      expect.anything(),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));

    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({
        namespace: 'payments',
        name: 'orders',
      }),
    );
  });

  it('checks the name again in the tenant the user picks', async () => {
    const dbaasApi = mockDbaasApi([payments, shared]);
    const { namespace, name } = await renderTemplate(dbaasApi);

    fireEvent.change(name, { target: { value: 'orders' } });
    expect(
      await screen.findByText(
        'Choose a namespace to check whether “orders” is available',
      ),
    ).toBeInTheDocument();

    await waitFor(() =>
      expect(namespace).not.toHaveAttribute('aria-disabled', 'true'),
    );
    fireEvent.mouseDown(namespace);
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByRole('option', {
        name: /^shared/,
      }),
    );

    expect(
      await screen.findByText(
        '✓ “orders” is available in “shared”',
        undefined,
        {
          timeout: 2000,
        },
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.validateDatabase).toHaveBeenCalledWith(
      { namespace: 'shared', name: 'orders' },
      expect.anything(),
    );
  });

  it('does not go on with a reserved namespace', async () => {
    const dbaasApi = mockDbaasApi([payments, shared]);
    await renderTemplate(dbaasApi, { namespace: 'default', name: 'orders' });

    fireEvent.click(await screen.findByRole('button', { name: 'Review' }));

    // The error list the form shows on top once the validation ran.
    expect(
      await screen.findByText("'Namespace' “default” is a reserved namespace"),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
  });

  it('blocks Review (so Create) on a name the backend reports as taken, saying so once in plain words', async () => {
    const dbaasApi = mockDbaasApi([payments]);
    dbaasApi.validateDatabase.mockResolvedValue({
      valid: false,
      problems: [
        {
          field: 'name',
          rule: 'exists',
          message:
            '`payments`/`orders` already exists: `defined in payments/orders/values.yaml on main`',
        },
      ],
    });
    const { namespace, name, onCreate } = await renderTemplate(
      dbaasApi,
      undefined,
      templateManifest,
    );
    await waitFor(() => expect(namespace).toHaveTextContent('payments'));
    fireEvent.change(name, { target: { value: 'orders' } });
    const message =
      '“payments/orders” already exists: “defined in payments/orders/values.yaml on main”';
    expect(
      await screen.findByText(message, undefined, { timeout: 2000 }),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));

    // The form asked the backend itself, and stays on the step.
    await waitFor(() =>
      expect(
        screen.getByText(`'Database name' ${message}`),
      ).toBeInTheDocument(),
    );
    expect(screen.getAllByText(message)).toHaveLength(1);
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
    expect(document.body).not.toHaveTextContent('`');
  });

  it('shows the names the database gets in the form and in the Review step', async () => {
    const dbaasApi = mockDbaasApi([payments]);
    dbaasApi.validateDatabase.mockImplementation(
      async ({ namespace, name }) => ({
        valid: true,
        problems: [],
        names: {
          databaseName: `${namespace}-${name}`,
          roles: {
            read: `${namespace}-${name}-read`,
            write: `${namespace}-${name}-write`,
            admin: `${namespace}-${name}-admin`,
          },
          kubernetesSecrets: {
            read: `${namespace}-${name}-read`,
            write: `${namespace}-${name}-write`,
            admin: `${namespace}-${name}-admin`,
          },
          secretManagerPaths: {
            read: `vault/${namespace}/${name}/read`,
            write: `vault/${namespace}/${name}/write`,
            admin: `vault/${namespace}/${name}/admin`,
          },
          entityRef: `resource:default/${namespace}-${name}`,
        },
      }),
    );
    const { namespace, name, onCreate } = await renderTemplate(
      dbaasApi,
      undefined,
      templateManifest,
    );
    await waitFor(() => expect(namespace).toHaveTextContent('payments'));
    fireEvent.change(name, { target: { value: 'orders' } });

    const paths =
      'vault/payments/orders/read, vault/payments/orders/write, vault/payments/orders/admin';
    const shownPaths = await screen.findByText(paths, undefined, {
      timeout: 2000,
    });
    const names = within(shownPaths.closest('dl')!);
    expect(names.getByText('payments-orders')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    await screen.findByRole('button', { name: 'Create' });

    const review = (label: string) =>
      within(screen.getByRole('table')).getByText(label).closest('tr')
        ?.textContent;
    expect(review('Database')).toContain('payments-orders');
    expect(review('Roles')).toContain(
      'payments-orders-read, payments-orders-write, payments-orders-admin',
    );
    expect(review('Kubernetes Secrets')).toContain(
      'payments-orders-read, payments-orders-write, payments-orders-admin',
    );
    expect(review('Secret manager paths')).toContain(paths);

    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith(
        expect.objectContaining({ namespace: 'payments', name: 'orders' }),
      ),
    );
  });
});
