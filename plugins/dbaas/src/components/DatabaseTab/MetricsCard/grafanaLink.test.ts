import { grafanaLink } from './grafanaLink';

describe('grafanaLink', () => {
  const ledger = { namespace: 'payments', name: 'ledger', cluster: 'prod eu' };

  it('fills every placeholder, URL-encoded', () => {
    expect(
      grafanaLink(
        'https://grafana.example.com/d/pg?var-cluster={cluster}&var-datname={database}&ns={namespace}&db={name}',
        ledger,
      ),
    ).toBe(
      'https://grafana.example.com/d/pg?var-cluster=prod%20eu&var-datname=payments-ledger&ns=payments&db=ledger',
    );
  });

  it('is absent without a template', () => {
    expect(grafanaLink(undefined, ledger)).toBeUndefined();
    expect(grafanaLink('', ledger)).toBeUndefined();
  });

  it('is absent when the template needs a cluster the database lacks', () => {
    expect(
      grafanaLink('https://g/d?c={cluster}', {
        namespace: 'payments',
        name: 'ledger',
      }),
    ).toBeUndefined();
    expect(
      grafanaLink('https://g/d?d={database}', {
        namespace: 'payments',
        name: 'ledger',
      }),
    ).toBe('https://g/d?d=payments-ledger');
  });
});
