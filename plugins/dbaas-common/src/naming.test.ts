import {
  MAX_DATABASE_NAME_BYTES,
  NamingProblem,
  validateDatabaseName,
  validateDatabaseRequest,
  validateNamespace,
} from './naming';

const rulesOf = (problems: NamingProblem[]) => problems.map(p => p.rule);

// QUALITY.md item 1: none of these may reach a path, a YAML key or a query.
const HOSTILE_INPUTS: Array<[string, string]> = [
  ['../../clusters/prod/x', 'charset'],
  ['a/b', 'charset'],
  ['.', 'charset'],
  ['', 'required'],
  ['   ', 'required'],
  ['UPPER', 'charset'],
  ['"', 'charset'],
  [';', 'charset'],
  ['\n', 'required'],
  ['a\nb', 'charset'],
  ['key: value', 'charset'],
  ['a\u202eb', 'charset'],
];

describe('validateNamespace', () => {
  it.each(['team-a', 'a', '0team', 'team-42', 'a--b', 'a'.repeat(63)])(
    'accepts %j',
    namespace => {
      expect(validateNamespace(namespace)).toEqual([]);
    },
  );

  it.each(HOSTILE_INPUTS)('rejects %j with the %s rule', (namespace, rule) => {
    const problems = validateNamespace(namespace);
    expect(rulesOf(problems)).toEqual([rule]);
    expect(problems.every(p => p.field === 'namespace')).toBe(true);
  });

  it.each([
    ['-team', ['start']],
    ['team-', ['end']],
    ['-', ['start', 'end']],
    ['Team_A', ['charset']],
    ['-Team-', ['charset', 'start', 'end']],
    ['kube-', ['end', 'reserved']],
    ['a'.repeat(64), ['too-long']],
    ['é'.repeat(32), ['charset', 'too-long']],
    ['é'.repeat(31), ['charset']],
  ])('reports %j as %j', (namespace, rules) => {
    expect(rulesOf(validateNamespace(namespace))).toEqual(rules);
  });

  it('counts bytes, not characters, and says both', () => {
    expect(validateNamespace('é'.repeat(32))).toContainEqual({
      field: 'namespace',
      rule: 'too-long',
      message: `\`${'é'.repeat(
        32,
      )}\` is 64 bytes long (32 characters), over the 63-byte limit for Kubernetes namespaces`,
    });
  });

  it('rejects 64 bytes with the length and the limit', () => {
    expect(validateNamespace('a'.repeat(64))).toEqual([
      {
        field: 'namespace',
        rule: 'too-long',
        message: `\`${'a'.repeat(
          64,
        )}\` is 64 bytes long, over the 63-byte limit for Kubernetes namespaces`,
      },
    ]);
  });

  it.each([
    'kube-system',
    'kube-public',
    'kube-node-lease',
    'argocd',
    'default',
  ])('refuses the reserved namespace %j', namespace => {
    expect(rulesOf(validateNamespace(namespace))).toEqual(['reserved']);
  });

  it.each(['kubernetes', 'my-argocd', 'argocd-apps', 'defaults'])(
    'does not reserve %j',
    namespace => {
      expect(validateNamespace(namespace)).toEqual([]);
    },
  );

  it('says which pattern reserved a namespace', () => {
    expect(validateNamespace('kube-system')).toEqual([
      {
        field: 'namespace',
        rule: 'reserved',
        message: '`kube-system` is a reserved namespace (matches `kube-*`)',
      },
    ]);
    expect(validateNamespace('argocd')[0].message).toBe(
      '`argocd` is a reserved namespace',
    );
  });

  it.each([
    ['platform-tools', true],
    ['finance', true],
    ['team-a-prod', true],
    ['team-a-dev', false],
    ['kube-system', false],
    ['axb', false],
  ])('with a custom reserved list, reserves %j: %s', (namespace, reserved) => {
    const problems = validateNamespace(namespace, {
      reservedNamespaces: ['platform-*', 'finance', 'team-*-prod', 'a.b'],
    });
    expect(rulesOf(problems)).toEqual(reserved ? ['reserved'] : []);
  });

  it.each([
    [undefined, 'required', 'A namespace is required'],
    [null, 'required', 'A namespace is required'],
    [42, 'type', 'A namespace must be a string, not number'],
    [{}, 'type', 'A namespace must be a string, not object'],
  ])('reports %j without throwing', (value, rule, message) => {
    expect(validateNamespace(value as unknown as string)).toEqual([
      { field: 'namespace', rule, message },
    ]);
  });
});

describe('validateDatabaseName', () => {
  it.each([
    'my-db',
    'a',
    'db2',
    'orders-v2',
    'a'.repeat(MAX_DATABASE_NAME_BYTES),
  ])('accepts %j', name => {
    expect(validateDatabaseName(name)).toEqual([]);
  });

  it.each(HOSTILE_INPUTS)('rejects %j with the %s rule', (name, rule) => {
    const problems = validateDatabaseName(name);
    expect(rulesOf(problems)).toEqual([rule]);
    expect(problems.every(p => p.field === 'name')).toBe(true);
  });

  it.each([
    ['1db', ['start']],
    ['-db', ['start']],
    ['db-', ['end']],
    ['my--db', ['double-hyphen']],
    ['-', ['start', 'end']],
    ['My_DB', ['charset']],
    ['-Bad--', ['charset', 'start', 'end', 'double-hyphen']],
    ['a'.repeat(MAX_DATABASE_NAME_BYTES + 1), ['too-long']],
  ])('reports %j as %j', (name, rules) => {
    expect(rulesOf(validateDatabaseName(name))).toEqual(rules);
  });

  it('explains every problem of -Bad--', () => {
    expect(validateDatabaseName('-Bad--')).toEqual([
      {
        field: 'name',
        rule: 'charset',
        message:
          "`-Bad--` may only contain lowercase letters, digits and '-' (found `B`)",
      },
      {
        field: 'name',
        rule: 'start',
        message: '`-Bad--` must start with a lowercase letter',
      },
      {
        field: 'name',
        rule: 'end',
        message: '`-Bad--` must end with a lowercase letter or digit',
      },
      {
        field: 'name',
        rule: 'double-hyphen',
        message: "`-Bad--` must not contain '--'",
      },
    ]);
  });

  it.each([
    [
      'My_DB',
      "`My_DB` may only contain lowercase letters, digits and '-' (found `M`, `_`, `D`, `B`)",
    ],
    [
      'key: value',
      "`key: value` may only contain lowercase letters, digits and '-' (found `:`, ` `)",
    ],
    [
      'a\nb',
      `"a\\nb" may only contain lowercase letters, digits and '-' (found "\\n")`,
    ],
    [
      'ABCDEFG',
      "`ABCDEFG` may only contain lowercase letters, digits and '-' (found `A`, `B`, `C`, `D`, `E`, and 2 more)",
    ],
  ])('names the characters %j may not contain', (name, message) => {
    expect(validateDatabaseName(name)[0].message).toBe(message);
  });

  it('keeps every message on one line', () => {
    const values = ['a\nb', '\r\n-X--\u2028', 'a\u0085b', 'x'.repeat(500)];
    for (const value of values) {
      for (const { message } of [
        ...validateDatabaseName(value),
        ...validateNamespace(value),
      ]) {
        expect(message).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
      }
    }
  });
});

describe('validateDatabaseRequest', () => {
  // 'a' * 20 + '-' + name + '-admin' reaches 63 bytes with a 36-byte name.
  const namespace = 'a'.repeat(20);

  it('accepts an admin role name of exactly 63 bytes', () => {
    expect(
      validateDatabaseRequest({ namespace, name: 'b'.repeat(36) }),
    ).toEqual([]);
  });

  it('rejects an admin role name of 64 bytes, never truncating', () => {
    const name = 'b'.repeat(37);
    expect(validateDatabaseRequest({ namespace, name })).toEqual([
      {
        field: 'name',
        rule: 'too-long',
        message: `\`${namespace}-${name}-admin\` would be 64 bytes long, over the 63-byte limit for PostgreSQL role names; shorten the namespace or the database name`,
      },
    ]);
  });

  it('counts a multibyte name by its bytes', () => {
    const [charset, tooLong] = validateDatabaseRequest({
      namespace: 'team',
      name: 'é'.repeat(27),
    });
    expect(charset.rule).toBe('charset');
    expect(tooLong.rule).toBe('too-long');
    expect(tooLong.message).toContain('65 bytes long (38 characters)');
  });

  it('reports a long name once, as the admin role length', () => {
    const problems = validateDatabaseRequest({
      namespace: 'b',
      name: 'a'.repeat(60),
    });
    expect(rulesOf(problems)).toEqual(['too-long']);
    expect(problems[0].message).toContain('would be 68 bytes long');
  });

  it('still reports a long name when the namespace is missing', () => {
    const problems = validateDatabaseRequest({
      namespace: '',
      name: 'a'.repeat(60),
    });
    expect(rulesOf(problems)).toEqual(['required', 'too-long']);
    expect(problems[1].message).toContain('over the 55-byte limit');
  });

  it.each(HOSTILE_INPUTS)(
    'rejects %j in both fields with the %s rule',
    (value, rule) => {
      const problems = validateDatabaseRequest({
        namespace: value,
        name: value,
      });
      expect(problems.filter(p => p.field === 'namespace')).toContainEqual(
        expect.objectContaining({ rule }),
      );
      expect(problems.filter(p => p.field === 'name')).toContainEqual(
        expect.objectContaining({ rule }),
      );
    },
  );

  it('returns the problems of both fields at once', () => {
    const problems = validateDatabaseRequest({
      namespace: 'kube-',
      name: '-Bad--',
    });
    expect(problems.map(p => `${p.field}:${p.rule}`)).toEqual([
      'namespace:end',
      'namespace:reserved',
      'name:charset',
      'name:start',
      'name:end',
      'name:double-hyphen',
    ]);
  });

  it('applies the reserved list it is given', () => {
    const request = { namespace: 'kube-system', name: 'db' };
    expect(rulesOf(validateDatabaseRequest(request))).toEqual(['reserved']);
    expect(
      validateDatabaseRequest(request, { reservedNamespaces: [] }),
    ).toEqual([]);
  });

  it('refuses a collision, naming both databases', () => {
    expect(
      validateDatabaseRequest(
        { namespace: 'a-b', name: 'c' },
        { existing: [{ namespace: 'a', name: 'b-c' }] },
      ),
    ).toEqual([
      {
        field: 'name',
        rule: 'collision',
        message:
          '`a-b`/`c` would create database `a-b-c`, which `a`/`b-c` already uses',
      },
    ]);
  });

  it('leaves the same database, a duplicate, to the caller', () => {
    expect(
      validateDatabaseRequest(
        { namespace: 'a', name: 'b-c' },
        { existing: [{ namespace: 'a', name: 'b-c' }] },
      ),
    ).toEqual([]);
  });

  it.each([undefined, null, {}, 'a/b'])(
    'does not throw for the request %j',
    request => {
      expect(rulesOf(validateDatabaseRequest(request as any))).toEqual([
        'required',
        'required',
      ]);
    },
  );
});
