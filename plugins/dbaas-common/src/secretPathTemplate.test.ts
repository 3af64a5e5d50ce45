import {
  DEFAULT_SECRET_PATH_TEMPLATE,
  renderSecretPath,
  validateSecretPathTemplate,
} from './secretPathTemplate';

describe('validateSecretPathTemplate', () => {
  it.each([
    DEFAULT_SECRET_PATH_TEMPLATE,
    '{role}',
    'secret/{database}/{access}',
    '{namespace}/{name}/{access}',
    'prefix-{namespace}/{role}-suffix',
  ])('accepts %j', template => {
    expect(validateSecretPathTemplate(template)).toEqual([]);
  });

  it.each([
    ['', ['The secret path template is empty']],
    [
      'customer/{tenant}/{role}',
      [
        'Unknown placeholder `{tenant}`; the supported placeholders are {namespace}, {name}, {database}, {role}, {access}',
      ],
    ],
    [
      'customer/{namespace/{role}',
      ["Unmatched '{' or '}' in `customer/{namespace/{role}`"],
    ],
    ['customer/{role}}', ["Unmatched '{' or '}' in `customer/{role}}`"]],
    [
      'customer/{database}',
      [
        '`customer/{database}` gives the read, write and admin roles the same path; include {role} or {access}',
      ],
    ],
    [
      'customer/{name}/{access}',
      [
        '`customer/{name}/{access}` gives different databases the same path; include {role}, {database} or both {namespace} and {name}',
      ],
    ],
    [
      'customer/static',
      [
        '`customer/static` gives the read, write and admin roles the same path; include {role} or {access}',
        '`customer/static` gives different databases the same path; include {role}, {database} or both {namespace} and {name}',
      ],
    ],
  ])('reports %j', (template, problems) => {
    expect(validateSecretPathTemplate(template)).toEqual(problems);
  });

  it('does not throw for a missing template', () => {
    expect(validateSecretPathTemplate(undefined as any)).toEqual([
      'The secret path template is empty',
    ]);
  });
});

describe('renderSecretPath', () => {
  const values = {
    namespace: 'ns',
    name: 'db',
    database: 'ns-db',
    role: 'ns-db-read',
    access: 'read',
  };

  it('fills every placeholder, repeated ones too', () => {
    expect(renderSecretPath('{access}/{role}/{access}', values)).toBe(
      'read/ns-db-read/read',
    );
  });

  it('throws for an invalid template', () => {
    expect(() => renderSecretPath('{nope}/{role}', values)).toThrow(
      /^Invalid secret path template `\{nope\}\/\{role\}`: Unknown placeholder/,
    );
  });
});
