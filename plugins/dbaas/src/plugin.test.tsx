import { screen } from '@testing-library/react';
import { getComponentData } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { dbaasApiRef } from './api/DbaasApi';
import { restoreRequest } from './components/DatabaseTab/RestoresCard/restoreTestFixtures';
import { approvalsPageRouteRef, databasePageRouteRef } from './routes';
import {
  DbaasApprovalsPage,
  DbaasDatabasePage,
  DbaasDatabaseNamePickerFieldExtension,
  DbaasDatabaseNamesFieldExtension,
  DbaasTenantPickerFieldExtension,
  dbaasPlugin,
} from './plugin';

function FieldNames() {
  const extensions = useCustomFieldExtensions(
    <ScaffolderFieldExtensions>
      <DbaasTenantPickerFieldExtension />
      <DbaasDatabaseNamePickerFieldExtension />
      <DbaasDatabaseNamesFieldExtension />
    </ScaffolderFieldExtensions>,
  );
  return <>{extensions.map(extension => extension.name).join(',')}</>;
}

describe('dbaas plugin (legacy frontend system)', () => {
  it('registers the dbaas API', () => {
    expect(dbaasPlugin.getId()).toBe('dbaas');
    expect([...dbaasPlugin.getApis()].map(factory => factory.api.id)).toEqual([
      dbaasApiRef.id,
    ]);
  });

  it('provides the field extensions through the dbaas plugin, so that using one registers the API', () => {
    expect(
      getComponentData(
        <DbaasDatabaseNamePickerFieldExtension />,
        'core.plugin',
      ),
    ).toBe(dbaasPlugin);
    expect(
      getComponentData(<DbaasTenantPickerFieldExtension />, 'core.plugin'),
    ).toBe(dbaasPlugin);
    expect(
      getComponentData(<DbaasDatabaseNamesFieldExtension />, 'core.plugin'),
    ).toBe(dbaasPlugin);
  });

  it("provides one database's page, mounted on its route ref", () => {
    expect(getComponentData(<DbaasDatabasePage />, 'core.mountPoint')).toBe(
      databasePageRouteRef,
    );
  });

  it('provides the approvals page, mounted on its route ref, with its own header', async () => {
    expect(getComponentData(<DbaasApprovalsPage />, 'core.mountPoint')).toBe(
      approvalsPageRouteRef,
    );
    const dbaasApi = {
      listRestores: jest.fn().mockResolvedValue({ items: [restoreRequest()] }),
    };
    renderInTestApp(<DbaasApprovalsPage />, {
      apis: [[dbaasApiRef, dbaasApi]],
      mountedRoutes: {
        '/dbaas/approvals': approvalsPageRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });

    expect(
      await screen.findByTestId('dbaas-restore-r-1', undefined, {
        timeout: 15_000,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Approvals' }),
    ).toBeInTheDocument();
  });

  it('names the fields DbaasTenantPicker, DbaasDatabaseNamePicker and DbaasDatabaseNames for ui:field', async () => {
    renderInTestApp(<FieldNames />);

    expect(
      await screen.findByText(
        'DbaasTenantPicker,DbaasDatabaseNamePicker,DbaasDatabaseNames',
      ),
    ).toBeInTheDocument();
  });
});
