import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DBAAS_DATABASE_NAMES_FIELD,
  DbaasDatabaseNames,
  DbaasDatabaseNamesFieldSchema,
} from '../../components/DbaasDatabaseNames';

export const DbaasDatabaseNamesFormField = createFormField({
  name: DBAAS_DATABASE_NAMES_FIELD,
  component: DbaasDatabaseNames,
  schema: DbaasDatabaseNamesFieldSchema,
});
