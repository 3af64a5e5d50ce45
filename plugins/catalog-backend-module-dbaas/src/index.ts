/**
 * The dbaas module for `@backstage/plugin-catalog-backend`: databases and
 * clusters of the dbaas inventory as catalog entities.
 *
 * @packageDocumentation
 */

export { catalogModuleDbaas as default } from './module';
