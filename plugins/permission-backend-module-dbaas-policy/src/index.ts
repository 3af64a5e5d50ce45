/**
 * The dbaas roles as a permission policy: a module for
 * `@backstage/plugin-permission-backend` that installs it, and the policy
 * itself for apps that compose their own.
 *
 * @packageDocumentation
 */

export { permissionModuleDbaasPolicy as default } from './module';
export { DbaasPermissionPolicy } from './DbaasPermissionPolicy';
export type { DbaasPolicyRoles } from './DbaasPermissionPolicy';
