export * from './resources';
export * from './rules';
