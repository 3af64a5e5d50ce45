export * from './gitopsSettings';
export * from './readTaskSchedule';
