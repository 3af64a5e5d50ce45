export * from './RequestedDatabases';
export * from './DatabaseRequestChecker';
