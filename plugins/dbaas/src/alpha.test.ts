import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import dbaasPlugin from './alpha';
import { dbaasApi } from './alpha/dbaasApi';
import { databaseNamePickerFormField } from './alpha/databaseNamePickerFormField';
import { tenantPickerFormField } from './alpha/tenantPickerFormField';
import { databaseNamesFormField } from './alpha/databaseNamesFormField';
import { databasePage } from './alpha/databasePage';
import { databasePageRouteRef } from './routes';
import { changePreviewFormField } from './alpha/changePreviewFormField';
import { dbaasApiRef } from './api/DbaasApi';

describe('dbaas plugin (new frontend system)', () => {
  it('is the dbaas plugin, with the extension ids the README documents', () => {
    expect(dbaasPlugin.id).toBe('dbaas');
    expect(dbaasPlugin.getExtension('api:dbaas')).toBeDefined();
    expect(dbaasPlugin.getExtension('page:dbaas')).toBeDefined();
    expect(dbaasPlugin.getExtension('sub-page:dbaas/databases')).toBeDefined();
    expect(dbaasPlugin.getExtension('sub-page:dbaas/approvals')).toBeDefined();
    expect(dbaasPlugin.getExtension('sub-page:dbaas/billing')).toBeDefined();
    expect(
      dbaasPlugin.getExtension(
        'scaffolder-form-field:dbaas/database-name-picker',
      ),
    ).toBeDefined();
    expect(
      dbaasPlugin.getExtension('scaffolder-form-field:dbaas/tenant-picker'),
    ).toBeDefined();
    expect(
      dbaasPlugin.getExtension('scaffolder-form-field:dbaas/database-names'),
    ).toBeDefined();
    expect(
      dbaasPlugin.getExtension('scaffolder-form-field:dbaas/change-preview'),
    ).toBeDefined();
  });

  it('provides the dbaas API', () => {
    const factory = createExtensionTester(dbaasApi).get(
      ApiBlueprint.dataRefs.factory,
    );

    expect(factory.api.id).toBe(dbaasApiRef.id);
  });

  it('adds the database name picker to the scaffolder form fields, loaded lazily', async () => {
    const loader = createExtensionTester(databaseNamePickerFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );

    await expect(loader()).resolves.toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
    });
  });

  it('adds the tenant picker to the scaffolder form fields, loaded lazily', async () => {
    const loader = createExtensionTester(tenantPickerFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );

    await expect(loader()).resolves.toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
    });
  });

  it('adds the resulting names field to the scaffolder form fields, loaded lazily', async () => {
    const loader = createExtensionTester(databaseNamesFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );

    await expect(loader()).resolves.toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
    });
  });

  it('adds the change preview to the scaffolder form fields, loaded lazily', async () => {
    const loader = createExtensionTester(changePreviewFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );

    await expect(loader()).resolves.toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
    });
  });

  it("has one database's page at /dbaas/databases/:namespace/:name, kept out of the sidebar", () => {
    expect(dbaasPlugin.getExtension('page:dbaas/database')).toBeDefined();
    const tester = createExtensionTester(databasePage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/dbaas/databases/:namespace/:name',
    );
    expect(tester.get(coreExtensionData.routeRef)).toBe(databasePageRouteRef);
    expect(tester.get(coreExtensionData.title)).toBeUndefined();
  });
});
