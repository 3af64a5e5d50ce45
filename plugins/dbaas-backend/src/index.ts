/**
 * The dbaas backend plugin (`/api/dbaas`) and its catalog module.
 *
 * @packageDocumentation
 */
export { dbaasPlugin as default } from './plugin';
export { catalogModuleDbaasEntities } from './catalog';
