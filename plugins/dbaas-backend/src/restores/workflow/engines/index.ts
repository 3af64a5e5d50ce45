export { LocalRestoreEngine } from './LocalRestoreEngine';
export type { LocalRestoreEngineOptions, OpenDump } from './LocalRestoreEngine';
export { AuroraRestoreEngine } from './AuroraRestoreEngine';
export type { AuroraRestoreEngineOptions } from './AuroraRestoreEngine';
export type {
  FreeSpaceReader,
  PrimaryRestoreOptions,
  SpaceCheck,
} from './PrimaryRestore';
export { readRestoreEngineSettings } from './RestoreEngineSettings';
export type { RestoreEngineSettings } from './RestoreEngineSettings';
export { createRestoreEngines } from './createRestoreEngines';
export type { EngineState } from './engineState';
