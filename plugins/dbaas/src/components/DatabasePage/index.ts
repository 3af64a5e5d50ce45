export { DatabasePage } from './DatabasePage';
