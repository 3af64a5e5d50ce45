import { screen } from '@testing-library/react';
import { getComponentData } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { dbaasApiRef } from './api/DbaasApi';
import {
  DbaasDatabaseNamePickerFieldExtension,
  DbaasTenantPickerFieldExtension,
  dbaasPlugin,
} from './plugin';

function FieldNames() {
  const extensions = useCustomFieldExtensions(
    <ScaffolderFieldExtensions>
      <DbaasTenantPickerFieldExtension />
      <DbaasDatabaseNamePickerFieldExtension />
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
  });

  it('names the fields DbaasTenantPicker and DbaasDatabaseNamePicker for ui:field', async () => {
    renderInTestApp(<FieldNames />);

    expect(
      await screen.findByText('DbaasTenantPicker,DbaasDatabaseNamePicker'),
    ).toBeInTheDocument();
  });
});
