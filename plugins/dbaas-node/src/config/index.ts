export * from './gitopsSettings';
