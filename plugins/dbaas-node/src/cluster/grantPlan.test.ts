import { grantPlan } from './grantPlan';

describe('grantPlan', () => {
  it('grants only what is missing and revokes extras of listed grantees', () => {
    const plan = grantPlan(
      [
        { grantee: 'PUBLIC', privilege: 'CONNECT' },
        { grantee: 'PUBLIC', privilege: 'TEMPORARY' },
        { grantee: 'r', privilege: 'CONNECT' },
        { grantee: 'w', privilege: 'CREATE' },
        { grantee: 'other', privilege: 'CREATE' },
      ],
      { PUBLIC: [], r: ['CONNECT', 'TEMPORARY'], w: ['CONNECT'] },
      { revokeExtra: ['PUBLIC', 'w'] },
    );
    expect(plan.grant).toEqual([
      { grantee: 'r', privileges: ['TEMPORARY'] },
      { grantee: 'w', privileges: ['CONNECT'] },
    ]);
    expect(plan.revoke).toEqual([
      { grantee: 'PUBLIC', privileges: ['CONNECT', 'TEMPORARY'] },
      { grantee: 'w', privileges: ['CREATE'] },
    ]);
  });

  it('plans nothing when the ACL is as wanted', () => {
    expect(
      grantPlan(
        [{ grantee: 'r', privilege: 'USAGE' }],
        { r: ['USAGE'] },
        { revokeExtra: ['r'] },
      ),
    ).toEqual({ grant: [], revoke: [] });
  });
});
