export { default } from './localUsersProvider';
