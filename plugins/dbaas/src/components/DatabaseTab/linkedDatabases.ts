import {
  Entity,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DBAAS_DATABASE_ANNOTATION,
  DatabaseRef,
  parseDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';

/** A database an entity leads to, and the catalog entity that names it. */
export interface LinkedDatabase {
  ref: DatabaseRef;
  /** The entity carrying the annotation: the entity itself or a Resource it depends on. */
  entityRef: string;
}

/** An annotation that could not be read. */
export interface LinkedDatabaseProblem {
  entityRef: string;
  message: string;
}

export interface LinkedDatabases {
  databases: LinkedDatabase[];
  problems: LinkedDatabaseProblem[];
}

function isKind(entity: Entity, kind: string): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === kind;
}

/**
 * Whether an entity may lead to a dbaas database, judged from the entity
 * alone (no catalog requests), so it can decide whether to show the tab:
 * it carries `dbaas.io/database`, is a Resource of type `database`, or is a
 * Component that depends on a Resource. The last one is a guess — which
 * Resources are databases takes a catalog request — so the tab explains
 * itself when none is.
 *
 * @public
 */
export function isDbaasDatabaseAvailable(entity: Entity): boolean {
  if (entity.metadata.annotations?.[DBAAS_DATABASE_ANNOTATION] !== undefined) {
    return true;
  }
  if (isKind(entity, 'resource') && entity.spec?.type === 'database') {
    return true;
  }
  return (
    isKind(entity, 'component') && databaseCandidateRefs(entity).length > 0
  );
}

/**
 * The Resources a Component depends on: those that may be databases. Other
 * kinds of entity only ever lead to the database in their own annotation.
 */
export function databaseCandidateRefs(entity: Entity): string[] {
  if (!isKind(entity, 'component')) {
    return [];
  }
  const refs = (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_DEPENDS_ON)
    .map(relation => relation.targetRef)
    .filter(ref => {
      try {
        return (
          parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'resource'
        );
      } catch {
        return false;
      }
    });
  return [...new Set(refs)];
}

function readAnnotation(entity: Entity): {
  ref?: DatabaseRef;
  problem?: LinkedDatabaseProblem;
} {
  const value = entity.metadata.annotations?.[DBAAS_DATABASE_ANNOTATION];
  if (value === undefined) {
    return {};
  }
  try {
    return { ref: parseDatabaseAnnotation(value) };
  } catch (error) {
    return {
      problem: {
        entityRef: stringifyEntityRef(entity),
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
}

/**
 * The databases an entity leads to: its own annotation first, then those of
 * the Resources it depends on (as fetched), each database once. Resources
 * without the annotation are not databases of the suite and are left out;
 * unreadable annotations are reported.
 */
export function linkedDatabases(
  entity: Entity,
  dependencies: ReadonlyArray<Entity | undefined | null>,
): LinkedDatabases {
  const databases: LinkedDatabase[] = [];
  const problems: LinkedDatabaseProblem[] = [];
  const seen = new Set<string>();

  for (const candidate of [entity, ...dependencies]) {
    if (!candidate) {
      continue;
    }
    const { ref, problem } = readAnnotation(candidate);
    if (problem) {
      problems.push(problem);
    }
    if (ref && !seen.has(`${ref.namespace}/${ref.name}`)) {
      seen.add(`${ref.namespace}/${ref.name}`);
      databases.push({ ref, entityRef: stringifyEntityRef(candidate) });
    }
  }
  return { databases, problems };
}
