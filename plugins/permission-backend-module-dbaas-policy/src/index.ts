/**
 * The dbaas roles as a permission policy: a module for
 * `@backstage/plugin-permission-backend` that installs it whole, and the
 * pieces for apps with a policy of their own.
 *
 * @packageDocumentation
 */

export { permissionModuleDbaasPolicy as default } from './module';
export { DbaasPermissionPolicy } from './DbaasPermissionPolicy';
export { createDbaasPolicyDecider } from './DbaasPolicyDecider';
export type {
  DbaasPolicyDecider,
  DbaasPolicyDeciderOptions,
} from './DbaasPolicyDecider';
