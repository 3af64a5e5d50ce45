/**
 * Node.js library shared by the dbaas backend pieces: permission rules and
 * conditions today; apps-repo access, YAML editing, cluster SQL helpers and
 * provider extension points as they land.
 *
 * @packageDocumentation
 */

export * from './permissions';
