import { SnapshotEvidence } from '../../../snapshots/evidence';
import { RestoreWorkState } from '../RestoreEngine';
import { RestoreNames } from './restoreNames';

/**
 * What the engines keep in the persisted workflow state. Written only by
 * the step that establishes a fact, read by the later steps and by
 * cleanup; every field is plain JSON.
 */
export interface EngineState {
  /** Recorded by preflight, before anything is created. */
  names?: RestoreNames;
  /** Folder of the pg_dump/pg_restore chosen by preflight. */
  binDirectory?: string;
  /**
   * The custom-format dump file restored from (snapshot file, or Aurora
   * dump). Unset for a snapshot in object storage: each step that reads
   * it streams it anew from the bucket.
   */
  dumpFile?: string;
  /**
   * `new-database`: preflight saw the target absent, so from here on a
   * database with that name is this restore's own (and cleanup drops it).
   */
  targetReserved?: boolean;
  restored?: boolean;
  verification?: {
    tables: number;
    rows: number;
    sample: string;
    /**
     * What the rows were checked against: `evidence` (exact rows and
     * content hashes recorded with the snapshot), `evidence-rows` (exact
     * rows only), `table-of-contents` (object counts; rows not compared).
     * Unset in states written before this was recorded.
     */
    check?: 'evidence' | 'evidence-rows' | 'table-of-contents';
  };
  /**
   * Aurora: the evidence measured on the temporary cluster before its
   * dump, compared with the restored copy by the verify step.
   */
  evidence?: SnapshotEvidence;
  /** In-place: the swap finished; the previous data is the safety copy. */
  swapped?: boolean;
  /** In-place: for the executor, which schedules the copy's drop. */
  safetyCopyDatabaseName?: string;
  /** Grants are in place: from here on a failure no longer rolls back. */
  grantsDone?: boolean;
  /** Aurora: when the temporary cluster was asked for (ISO 8601). */
  tempClusterRequestedAt?: string;
  /** Aurora: where the temporary cluster answers. */
  tempEndpoint?: { host: string; port: number };
  /** Aurora: the temporary cluster's deletion was accepted. */
  tempClusterDeleted?: boolean;
}

export function engineState(state: RestoreWorkState): EngineState {
  return state as EngineState;
}

/** Narrows `EngineState` to a JSON-compatible record for the executor. */
export function toWorkState(state: EngineState): RestoreWorkState {
  return { ...state } as RestoreWorkState;
}
