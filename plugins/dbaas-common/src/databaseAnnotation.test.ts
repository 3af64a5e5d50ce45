import { InputError } from '@backstage/errors';
import {
  formatDatabaseAnnotation,
  parseDatabaseAnnotation,
} from './databaseAnnotation';

describe('parseDatabaseAnnotation', () => {
  it.each([
    ['team-a/orders', { namespace: 'team-a', name: 'orders' }],
    ['a-b/c', { namespace: 'a-b', name: 'c' }],
    ['kube-system/x', { namespace: 'kube-system', name: 'x' }],
  ])('reads %j', (value, ref) => {
    expect(parseDatabaseAnnotation(value)).toEqual(ref);
    expect(formatDatabaseAnnotation(ref)).toBe(value);
  });

  it.each([
    'team-a',
    'a/b/c',
    '../x/y',
    '/orders',
    'team-a/',
    'Team/orders',
    'team-a/Orders',
    'team-a/orders ',
    '',
  ])('refuses %j', value => {
    expect(() => parseDatabaseAnnotation(value)).toThrow(InputError);
  });

  it.each([undefined, null, 42])('refuses the non-string %j', value => {
    expect(() => parseDatabaseAnnotation(value as any)).toThrow(InputError);
  });

  it('says what is expected', () => {
    expect(() => parseDatabaseAnnotation('team-a')).toThrow(
      'Invalid dbaas.io/database annotation `team-a`: expected `<namespace>/<name>`',
    );
    expect(() => parseDatabaseAnnotation('team-a/1db')).toThrow(
      'Invalid dbaas.io/database annotation `team-a/1db`: `1db` must start with a lowercase letter',
    );
  });
});
