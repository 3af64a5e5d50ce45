/**
 * The dbaas backend plugin (`/api/dbaas`).
 *
 * @packageDocumentation
 */
export { dbaasPlugin as default } from './plugin';
