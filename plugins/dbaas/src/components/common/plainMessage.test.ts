import { describeValue } from '@dbaas/plugin-dbaas-common';
import { plainMessage, plainMessages } from './plainMessage';

describe('plainMessage', () => {
  it('turns backtick quotes into typographic ones', () => {
    expect(
      plainMessage(
        "`My_DB` may only contain lowercase letters, digits and '-' (found `_`)",
      ),
    ).toBe(
      "“My_DB” may only contain lowercase letters, digits and '-' (found “_”)",
    );
  });

  it('reads a namespace and name quoted apart as one reference', () => {
    expect(
      plainMessage(
        '`payments`/`ledger` already exists: `defined in payments/ledger/values.yaml on main`',
      ),
    ).toBe(
      '“payments/ledger” already exists: “defined in payments/ledger/values.yaml on main”',
    );
  });

  it('keeps values describeValue escaped as they are', () => {
    const message = `${describeValue('a\nb')} must start with a letter`;
    expect(plainMessage(message)).toBe(message);
  });

  it('leaves a message without quotes alone', () => {
    expect(plainMessage('A database name is required')).toBe(
      'A database name is required',
    );
  });
});

describe('plainMessages', () => {
  it('keeps each message once, the same in either quoting', () => {
    expect(
      plainMessages(['`a` is taken', '“a” is taken', 'b is reserved']),
    ).toEqual(['“a” is taken', 'b is reserved']);
  });
});
