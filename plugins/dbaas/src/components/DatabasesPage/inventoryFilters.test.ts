import type { DatabaseSummary } from '@dbaas/plugin-dbaas-common';
import {
  distinctValues,
  hasFilters,
  matchesFilters,
  NO_FILTERS,
  readFilters,
  writeFilters,
} from './inventoryFilters';

const orders: DatabaseSummary = {
  namespace: 'payments',
  name: 'orders',
  databaseName: 'payments-orders',
  mode: 'protected',
  status: 'ready',
  statusSince: '2026-11-20T10:00:00Z',
  cluster: 'prod-eu',
  entityRef: 'resource:default/payments-orders',
  owners: ['group:default/payments-team'],
};

describe('readFilters / writeFilters', () => {
  it('reads every filter from its query parameter and ignores empty ones', () => {
    expect(
      readFilters(
        new URLSearchParams(
          'tenant=payments&status=ready&cluster=prod-eu&mode=protected&objectives=missed&q=ord&page=2&other=',
        ),
      ),
    ).toEqual({
      tenant: 'payments',
      status: 'ready',
      cluster: 'prod-eu',
      mode: 'protected',
      objectives: 'missed',
      search: 'ord',
    });
    expect(readFilters(new URLSearchParams('tenant=&q='))).toEqual({});
  });

  it('changes only the filters given, removes emptied ones, and keeps other parameters', () => {
    const params = new URLSearchParams('tenant=payments&q=ord&tab=x');

    expect(writeFilters(params, { status: 'failed' }).toString()).toBe(
      'tenant=payments&q=ord&tab=x&status=failed',
    );
    expect(writeFilters(params, { tenant: '', search: 'new' }).toString()).toBe(
      'q=new&tab=x',
    );
    expect(writeFilters(params, NO_FILTERS).toString()).toBe('tab=x');
    // The original is left alone.
    expect(params.toString()).toBe('tenant=payments&q=ord&tab=x');
  });

  it('tells whether any filter is set', () => {
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ search: '' })).toBe(false);
    expect(hasFilters({ mode: 'standard' })).toBe(true);
  });
});

describe('matchesFilters', () => {
  it.each([
    [{}, true],
    [{ tenant: 'payments' }, true],
    [{ tenant: 'pay' }, false],
    [{ status: 'ready' }, true],
    [{ status: 'failed' }, false],
    [{ cluster: 'prod-eu' }, true],
    [{ cluster: 'prod-us' }, false],
    [{ mode: 'protected' }, true],
    [{ mode: 'standard' }, false],
    [{ tenant: 'payments', status: 'ready', mode: 'standard' }, false],
  ])('filters %j: %s', (filters, expected) => {
    expect(matchesFilters(orders, filters)).toBe(expected);
  });

  it('searches the name, database name, status, mode, cluster and owners, case-insensitively, every word', () => {
    expect(matchesFilters(orders, { search: 'payments/ord' })).toBe(true);
    expect(matchesFilters(orders, { search: 'PAYMENTS-ORDERS' })).toBe(true);
    expect(matchesFilters(orders, { search: 'prod-eu' })).toBe(true);
    expect(matchesFilters(orders, { search: 'payments-team' })).toBe(true);
    expect(matchesFilters(orders, { search: '  orders   ready ' })).toBe(true);
    expect(matchesFilters(orders, { search: 'orders failed' })).toBe(false);
    expect(matchesFilters(orders, { search: 'billing' })).toBe(false);
  });

  it('finds the databases whose cluster cannot be reached with the unknown status, whatever their last status', () => {
    const unreachable = {
      ...orders,
      unknownSince: '2026-11-21T09:00:00Z',
      unknownReason: 'connect ECONNREFUSED',
    };

    expect(matchesFilters(unreachable, { status: 'unknown' })).toBe(true);
    expect(matchesFilters(orders, { status: 'unknown' })).toBe(false);
    expect(matchesFilters(unreachable, { status: 'ready' })).toBe(true);
  });

  it('matches a database without a cluster only when no cluster is asked for', () => {
    const requested = {
      ...orders,
      cluster: undefined,
      status: 'requested' as const,
    };

    expect(matchesFilters(requested, {})).toBe(true);
    expect(matchesFilters(requested, { cluster: 'prod-eu' })).toBe(false);
  });
});

describe('distinctValues', () => {
  it('matches the objectives filter: missed if either is, met if both are, unknown otherwise (and without any)', () => {
    const withRecovery = (rpo: any, rto: any): DatabaseSummary => ({
      ...orders,
      recovery: { rpo, rto },
    });
    const state = (database: DatabaseSummary) =>
      ['missed', 'met', 'unknown'].filter(objectives =>
        matchesFilters(database, { objectives }),
      );
    expect(state(withRecovery('met', 'met'))).toEqual(['met']);
    expect(state(withRecovery('missed', 'met'))).toEqual(['missed']);
    expect(state(withRecovery('unknown', 'missed'))).toEqual(['missed']);
    expect(state(withRecovery('met', 'unknown'))).toEqual(['unknown']);
    expect(state(orders)).toEqual(['unknown']);
  });

  it('lists each value once, sorted, leaving out missing ones', () => {
    expect(
      distinctValues(
        [
          { ...orders, cluster: 'prod-us' },
          orders,
          { ...orders, cluster: undefined },
          { ...orders, cluster: 'dev' },
        ],
        database => database.cluster,
      ),
    ).toEqual(['dev', 'prod-eu', 'prod-us']);
  });
});
