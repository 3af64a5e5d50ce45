export { DbaasDatabaseNames } from './DbaasDatabaseNames';
export { DbaasDatabaseNamesFieldSchema } from './schema';
export type {
  DbaasDatabaseNamesProps,
  DbaasDatabaseNamesUiOptions,
  DbaasDatabaseNamesValue,
} from './schema';

/** The `ui:field` templates use to pick this field. */
export const DBAAS_DATABASE_NAMES_FIELD = 'DbaasDatabaseNames';
