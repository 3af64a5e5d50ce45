import { collisionProblem, findCollision } from './collisions';
import { describeValue } from './describeValue';

/**
 * A database as the apps repository names it: the tenant namespace and the
 * database name listed in that namespace's `values.yaml`.
 *
 * @public
 */
export interface DatabaseRef {
  namespace: string;
  name: string;
}

/**
 * The rules a namespace or database name can break, in the order they are reported.
 *
 * @public
 */
export const NAMING_RULES = [
  'required',
  'type',
  'charset',
  'start',
  'end',
  'double-hyphen',
  'too-long',
  'reserved',
  'collision',
  'exists',
] as const;

/** @public */
export type NamingRule = (typeof NAMING_RULES)[number];

/** @public */
export type NamingField = 'namespace' | 'name';

/**
 * One broken rule. `message` is a single-line sentence that quotes the
 * offending value, safe to show in a form, an API response or a log.
 *
 * @public
 */
export interface NamingProblem {
  field: NamingField;
  rule: NamingRule;
  message: string;
}

/**
 * The byte limit shared by PostgreSQL identifiers and Kubernetes names.
 *
 * @public
 */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * The three roles created for every database, also the suffixes of their names.
 *
 * @public
 */
export const ROLE_ACCESS = ['read', 'write', 'admin'] as const;

/** @public */
export type RoleAccess = (typeof ROLE_ACCESS)[number];

const LONGEST_ROLE_SUFFIX = '-admin';

/**
 * The longest database name that can still fit `<namespace>-<name>-admin`
 * in {@link MAX_IDENTIFIER_BYTES}, reached with a one-character namespace.
 *
 * @public
 */
export const MAX_DATABASE_NAME_BYTES =
  MAX_IDENTIFIER_BYTES - LONGEST_ROLE_SUFFIX.length - '-'.length - 1;

/**
 * Namespaces that never hold tenant databases. A `*` matches any run of
 * characters.
 *
 * @public
 */
export const DEFAULT_RESERVED_NAMESPACES: readonly string[] = [
  'kube-*',
  'default',
  'argocd',
];

/** @public */
export interface NamespaceValidationOptions {
  /**
   * Replaces {@link DEFAULT_RESERVED_NAMESPACES}; spread the defaults into
   * the list to extend them instead.
   */
  reservedNamespaces?: readonly string[];
}

/** @public */
export interface DatabaseRequestValidationOptions
  extends NamespaceValidationOptions {
  /** Databases that already exist or are requested, to refuse name collisions. */
  existing?: Iterable<DatabaseRef>;
}

interface LabelRules {
  field: NamingField;
  subject: string;
  allowedFirstCharacter: RegExp;
  firstCharacterDescription: string;
  forbidDoubleHyphen: boolean;
  maxBytes: number;
  limitDescription: string;
}

const NAMESPACE_RULES: LabelRules = {
  field: 'namespace',
  subject: 'namespace',
  allowedFirstCharacter: /^[a-z0-9]$/,
  firstCharacterDescription: 'a lowercase letter or digit',
  // RFC 1123 labels allow `--`, and existing namespaces may use it.
  forbidDoubleHyphen: false,
  maxBytes: MAX_IDENTIFIER_BYTES,
  limitDescription: 'for Kubernetes namespaces',
};

const DATABASE_NAME_RULES: LabelRules = {
  field: 'name',
  subject: 'database name',
  allowedFirstCharacter: /^[a-z]$/,
  firstCharacterDescription: 'a lowercase letter',
  forbidDoubleHyphen: true,
  maxBytes: MAX_DATABASE_NAME_BYTES,
  limitDescription: `for database names, so that \`<namespace>-<name>${LONGEST_ROLE_SUFFIX}\` fits in ${MAX_IDENTIFIER_BYTES} bytes`,
};

const ALLOWED_CHARACTER = /^[a-z0-9-]$/;
const MAX_LISTED_CHARACTERS = 5;
const utf8 = new TextEncoder();

function byteLength(value: string): number {
  return utf8.encode(value).length;
}

function describeLength(value: string): string {
  const bytes = byteLength(value);
  const characters = Array.from(value).length;
  return bytes === characters
    ? `${bytes} bytes long`
    : `${bytes} bytes long (${characters} characters)`;
}

function listCharacters(characters: string[]): string {
  const listed = characters.slice(0, MAX_LISTED_CHARACTERS).map(describeValue);
  if (characters.length > MAX_LISTED_CHARACTERS) {
    listed.push(`and ${characters.length - MAX_LISTED_CHARACTERS} more`);
  }
  return listed.join(', ');
}

function checkLabel(value: unknown, rules: LabelRules): NamingProblem[] {
  const { field, subject } = rules;
  if (value === undefined || value === null) {
    return [{ field, rule: 'required', message: `A ${subject} is required` }];
  }
  if (typeof value !== 'string') {
    return [
      {
        field,
        rule: 'type',
        message: `A ${subject} must be a string, not ${typeof value}`,
      },
    ];
  }
  if (value.trim() === '') {
    return [{ field, rule: 'required', message: `A ${subject} is required` }];
  }

  const problems: NamingProblem[] = [];
  const shown = describeValue(value);
  const characters = Array.from(value);

  const invalidCharacters = [
    ...new Set(characters.filter(c => !ALLOWED_CHARACTER.test(c))),
  ];
  if (invalidCharacters.length > 0) {
    problems.push({
      field,
      rule: 'charset',
      message: `${shown} may only contain lowercase letters, digits and '-' (found ${listCharacters(
        invalidCharacters,
      )})`,
    });
  }

  // A first or last character outside the charset is already reported above.
  const first = characters[0];
  if (
    ALLOWED_CHARACTER.test(first) &&
    !rules.allowedFirstCharacter.test(first)
  ) {
    problems.push({
      field,
      rule: 'start',
      message: `${shown} must start with ${rules.firstCharacterDescription}`,
    });
  }
  if (characters[characters.length - 1] === '-') {
    problems.push({
      field,
      rule: 'end',
      message: `${shown} must end with a lowercase letter or digit`,
    });
  }
  if (rules.forbidDoubleHyphen && value.includes('--')) {
    problems.push({
      field,
      rule: 'double-hyphen',
      message: `${shown} must not contain '--'`,
    });
  }
  if (byteLength(value) > rules.maxBytes) {
    problems.push({
      field,
      rule: 'too-long',
      message: `${shown} is ${describeLength(value)}, over the ${
        rules.maxBytes
      }-byte limit ${rules.limitDescription}`,
    });
  }
  return problems;
}

function matchesGlob(value: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/**
 * Checks a namespace: an RFC 1123 label of at most 63 bytes that is not
 * reserved. Returns every broken rule; never throws.
 *
 * @public
 */
export function validateNamespace(
  namespace: string,
  options?: NamespaceValidationOptions,
): NamingProblem[] {
  const problems = checkLabel(namespace, NAMESPACE_RULES);
  if (typeof namespace !== 'string' || namespace.trim() === '') {
    return problems;
  }
  const reservedBy = (
    options?.reservedNamespaces ?? DEFAULT_RESERVED_NAMESPACES
  ).find(pattern => matchesGlob(namespace, pattern));
  if (reservedBy !== undefined) {
    const matched = reservedBy.includes('*')
      ? ` (matches ${describeValue(reservedBy)})`
      : '';
    problems.push({
      field: 'namespace',
      rule: 'reserved',
      message: `${describeValue(namespace)} is a reserved namespace${matched}`,
    });
  }
  return problems;
}

/**
 * Checks a database name: lowercase letters, digits and `-`, starting with a
 * letter, ending with a letter or digit, without `--`. Returns every broken
 * rule; never throws.
 *
 * @public
 */
export function validateDatabaseName(name: string): NamingProblem[] {
  return checkLabel(name, DATABASE_NAME_RULES);
}

/**
 * Checks a request for a new database: the namespace, the name, that the
 * longest derived name `<namespace>-<name>-admin` fits in 63 bytes, and,
 * given `options.existing`, that it does not collide with another database.
 * Returns every problem found; never throws.
 *
 * @public
 */
export function validateDatabaseRequest(
  request: DatabaseRef,
  options?: DatabaseRequestValidationOptions,
): NamingProblem[] {
  const { namespace, name } = (request ?? {}) as Partial<DatabaseRef>;
  const problems = validateNamespace(namespace as string, options);
  const nameProblems = validateDatabaseName(name as string);

  const bothGiven =
    typeof namespace === 'string' &&
    namespace.trim() !== '' &&
    typeof name === 'string' &&
    name.trim() !== '';
  if (!bothGiven) {
    return [...problems, ...nameProblems];
  }

  // With a namespace at hand the admin role length is the precise check; it
  // also covers a name that is too long on its own.
  problems.push(...nameProblems.filter(p => p.rule !== 'too-long'));
  const adminRole = `${namespace}-${name}${LONGEST_ROLE_SUFFIX}`;
  if (byteLength(adminRole) > MAX_IDENTIFIER_BYTES) {
    problems.push({
      field: 'name',
      rule: 'too-long',
      message: `${describeValue(adminRole)} would be ${describeLength(
        adminRole,
      )}, over the ${MAX_IDENTIFIER_BYTES}-byte limit for PostgreSQL role names; shorten the namespace or the database name`,
    });
  }

  const collidingWith =
    options?.existing && findCollision({ namespace, name }, options.existing);
  if (collidingWith) {
    problems.push(collisionProblem({ namespace, name }, collidingWith));
  }
  return problems;
}
