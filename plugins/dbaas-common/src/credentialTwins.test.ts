import {
  credentialTwinName,
  CREDENTIAL_TWIN_SUFFIXES,
} from './credentialTwins';
import { deriveDatabaseNames } from './deriveDatabaseNames';
import { MAX_DATABASE_NAME_BYTES, ROLE_ACCESS } from './naming';

describe('credentialTwinName', () => {
  it('names the twin of each role after the database, never like a role', () => {
    expect(credentialTwinName('payments-ledger', 'read')).toBe(
      'payments-ledger-rd_b',
    );
    expect(credentialTwinName('payments-ledger', 'write')).toBe(
      'payments-ledger-wrt_b',
    );
    expect(credentialTwinName('payments-ledger', 'admin')).toBe(
      'payments-ledger-adm_b',
    );
  });

  it('fits 63 bytes for the longest name the naming rules accept', () => {
    const name = `d${'x'.repeat(MAX_DATABASE_NAME_BYTES - 1)}`;
    const names = deriveDatabaseNames('a', name);
    expect(Buffer.byteLength(names.roles.admin)).toBe(63);
    for (const access of ROLE_ACCESS) {
      const twin = credentialTwinName(names.databaseName, access);
      expect(Buffer.byteLength(twin)).toBeLessThanOrEqual(63);
      expect(twin).not.toBe(names.roles[access]);
    }
  });

  it('has suffixes no longer than -admin and unlike any database name', () => {
    for (const suffix of Object.values(CREDENTIAL_TWIN_SUFFIXES)) {
      expect(suffix.length).toBeLessThanOrEqual('-admin'.length);
      expect(suffix).toContain('_');
    }
  });

  it('refuses, rather than truncates, a name that does not fit', () => {
    expect(() => credentialTwinName('x'.repeat(60), 'admin')).toThrow(
      /longer than 63 bytes/,
    );
  });
});
