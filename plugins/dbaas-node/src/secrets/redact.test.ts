import { errorMessageLine, redactError, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('removes given values and URL passwords', () => {
    expect(
      redactSecrets(
        'login hunter2-long failed for postgresql://admin:p%40ss@db:5432/x',
        ['hunter2-long'],
      ),
    ).toBe('login *** failed for postgresql://admin:***@db:5432/x');
  });

  it('ignores empty and very short values', () => {
    expect(redactSecrets('a b c', ['', undefined, 'a'])).toBe('a b c');
  });
});

describe('errorMessageLine', () => {
  it('puts multi-line messages on one line', () => {
    expect(errorMessageLine(new Error('first\n  second\r\nthird'))).toBe(
      'first second third',
    );
  });

  it('uses inner messages of an AggregateError without a message', () => {
    const error = new AggregateError([
      new Error('connect ECONNREFUSED ::1:5432'),
      new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    ]);
    expect(errorMessageLine(error)).toBe(
      'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it('falls back to the code or name', () => {
    expect(
      errorMessageLine(Object.assign(new Error(''), { code: 'ETIMEDOUT' })),
    ).toBe('ETIMEDOUT');
    expect(errorMessageLine('plain')).toBe('plain');
  });
});

describe('redactError', () => {
  it('returns the same error when nothing needs removing', () => {
    const error = new Error('fine');
    expect(redactError(error, ['secret-value'])).toBe(error);
  });

  it('copies the error without the secret, keeping name and code', () => {
    const error = Object.assign(new TypeError('bad secret-value here'), {
      code: 'X1',
    });
    const safe = redactError(error, ['secret-value']);
    expect(safe).not.toBe(error);
    expect(safe.message).toBe('bad *** here');
    expect(safe.name).toBe('TypeError');
    expect((safe as { code?: string }).code).toBe('X1');
    expect(safe.stack).not.toContain('secret-value');
  });
});
