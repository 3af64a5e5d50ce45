export { catalogModuleDbaasEntities } from './catalogModule';
