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
] as FieldExtensionOptions<any, any>[];

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
) {
  const onCreate = jest.fn(async () => {});
  renderInTestApp(
    <Stepper
      manifest={manifest}
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
        '✓ `orders` is available in `payments`',
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
        'Choose a namespace to check whether `orders` is available',
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
        '✓ `orders` is available in `shared`',
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
      await screen.findByText("'Namespace' `default` is a reserved namespace"),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
  });
});
