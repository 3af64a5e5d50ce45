import { describeValue } from './describeValue';

/**
 * Where the chart stores each role's credentials in the secret manager, by
 * default `customer/<namespace>/<namespace>-<db>-<access>`.
 *
 * @public
 */
export const DEFAULT_SECRET_PATH_TEMPLATE = 'customer/{namespace}/{role}';

/**
 * Placeholders of a secret path template: `{namespace}`, `{name}` (the
 * database name as requested), `{database}` (`<namespace>-<name>`), `{role}`
 * (`<namespace>-<name>-<access>`) and `{access}` (`read`, `write` or `admin`).
 *
 * @public
 */
export const SECRET_PATH_PLACEHOLDERS = [
  'namespace',
  'name',
  'database',
  'role',
  'access',
] as const;

/** @public */
export type SecretPathPlaceholder = (typeof SECRET_PATH_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([^{}]*)\}/g;

function isSecretPathPlaceholder(
  value: string,
): value is SecretPathPlaceholder {
  return (SECRET_PATH_PLACEHOLDERS as readonly string[]).includes(value);
}

const SUPPORTED = SECRET_PATH_PLACEHOLDERS.map(p => `{${p}}`).join(', ');

/**
 * Lists what is wrong with a secret path template (empty when nothing is).
 * Besides syntax it checks that the template gives every role of every
 * database its own path, since sharing one would overwrite credentials.
 *
 * @public
 */
export function validateSecretPathTemplate(template: string): string[] {
  if (typeof template !== 'string' || template.trim() === '') {
    return ['The secret path template is empty'];
  }

  const problems: string[] = [];
  const used = new Set<string>();
  for (const [, placeholder] of template.matchAll(PLACEHOLDER)) {
    if (isSecretPathPlaceholder(placeholder)) {
      used.add(placeholder);
    } else {
      problems.push(
        `Unknown placeholder ${describeValue(
          `{${placeholder}}`,
        )}; the supported placeholders are ${SUPPORTED}`,
      );
    }
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    problems.push(`Unmatched '{' or '}' in ${describeValue(template)}`);
  }

  if (!used.has('role') && !used.has('access')) {
    problems.push(
      `${describeValue(
        template,
      )} gives the read, write and admin roles the same path; include {role} or {access}`,
    );
  }
  const distinguishesDatabases =
    used.has('role') ||
    used.has('database') ||
    (used.has('namespace') && used.has('name'));
  if (!distinguishesDatabases) {
    problems.push(
      `${describeValue(
        template,
      )} gives different databases the same path; include {role}, {database} or both {namespace} and {name}`,
    );
  }
  return problems;
}

/**
 * Fills in a template; throws when the template is invalid, which is a
 * configuration error rather than bad user input.
 */
export function renderSecretPath(
  template: string,
  values: Record<SecretPathPlaceholder, string>,
): string {
  const problems = validateSecretPathTemplate(template);
  if (problems.length > 0) {
    throw new Error(
      `Invalid secret path template ${describeValue(template)}: ${problems.join(
        '; ',
      )}`,
    );
  }
  return template.replace(
    PLACEHOLDER,
    (_, placeholder: SecretPathPlaceholder) => values[placeholder],
  );
}
