import { claimsFromPayload, payloadFromClaims } from './claims';
import { Role } from './roles';

const ID = '01900000-0000-7000-8000-000000000001';
const MERCHANT = '01900000-0000-7000-8000-000000000002';

describe('claimsFromPayload', () => {
  it('accepts each role with exactly its scope', () => {
    expect(claimsFromPayload({ sub: ID, role: 'resident', iat: 1 })).toEqual({ sub: ID, role: Role.Resident });
    expect(claimsFromPayload({ sub: ID, role: 'merchant_staff', merchantId: MERCHANT })).toEqual({
      sub: ID,
      role: Role.MerchantStaff,
      merchantId: MERCHANT,
    });
    expect(claimsFromPayload({ sub: ID, role: 'commerce_official', district: 'yinzhou' })?.district).toBe('yinzhou');
  });

  it('refuses a merchant role without a merchant and any other role with one', () => {
    expect(claimsFromPayload({ sub: ID, role: 'merchant_admin' })).toBeNull();
    expect(claimsFromPayload({ sub: ID, role: 'resident', merchantId: MERCHANT })).toBeNull();
    expect(claimsFromPayload({ sub: ID, role: 'merchant_staff', merchantId: 'merchant-7' })).toBeNull();
  });

  it('refuses districts on non-officials, unknown districts and unknown roles', () => {
    expect(claimsFromPayload({ sub: ID, role: 'resident', district: 'haishu' })).toBeNull();
    expect(claimsFromPayload({ sub: ID, role: 'finance_official', district: 'shanghai' })).toBeNull();
    expect(claimsFromPayload({ sub: ID, role: 'root' })).toBeNull();
    expect(claimsFromPayload({ sub: '7', role: 'resident' })).toBeNull();
    expect(claimsFromPayload(null)).toBeNull();
  });

  it("reads rv: 1 as a resident's real-name verification", () => {
    expect(claimsFromPayload({ sub: ID, role: 'resident', rv: 1 })).toEqual({ sub: ID, role: Role.Resident, verified: true });
    expect(claimsFromPayload({ sub: ID, role: 'resident' })?.verified).toBeUndefined();
  });

  it('refuses rv on any other role and any rv other than 1', () => {
    expect(claimsFromPayload({ sub: ID, role: 'merchant_staff', merchantId: MERCHANT, rv: 1 })).toBeNull();
    expect(claimsFromPayload({ sub: ID, role: 'commerce_official', rv: 1 })).toBeNull();
    for (const rv of [0, true, '1', 2, null]) {
      expect(claimsFromPayload({ sub: ID, role: 'resident', rv })).toBeNull();
    }
  });

  it('round-trips through payloadFromClaims, verified as rv: 1 and unverified as no claim', () => {
    const verified = { sub: ID, role: Role.Resident, verified: true };
    expect(payloadFromClaims(verified)).toEqual({ sub: ID, role: 'resident', rv: 1 });
    expect(claimsFromPayload(payloadFromClaims(verified))).toEqual(verified);
    expect(payloadFromClaims({ sub: ID, role: Role.Resident, verified: false })).toEqual({ sub: ID, role: 'resident' });
    const staff = { sub: ID, role: Role.MerchantStaff, merchantId: MERCHANT };
    expect(claimsFromPayload(payloadFromClaims(staff))).toEqual(staff);
  });

  it("carries an official's or a staff member's token version as tv, and refuses tv on a resident or as anything but a whole number", () => {
    const official = { sub: ID, role: Role.FinanceOfficial, district: 'cixi', tokenVersion: 3 };
    expect(payloadFromClaims(official)).toEqual({ sub: ID, role: 'finance_official', district: 'cixi', tv: 3 });
    expect(claimsFromPayload(payloadFromClaims(official))).toEqual(official);
    expect(claimsFromPayload({ sub: ID, role: 'official_admin', tv: 0 })).toEqual({ sub: ID, role: Role.OfficialAdmin, tokenVersion: 0 });
    const staff = { sub: ID, role: Role.MerchantStaff, merchantId: MERCHANT, tokenVersion: 2 };
    expect(payloadFromClaims(staff)).toEqual({ sub: ID, role: 'merchant_staff', merchantId: MERCHANT, tv: 2 });
    expect(claimsFromPayload(payloadFromClaims(staff))).toEqual(staff);
    expect(claimsFromPayload({ sub: ID, role: 'resident', tv: 1 })).toBeNull();
    for (const tv of [-1, 1.5, '2', null]) {
      expect(claimsFromPayload({ sub: ID, role: 'auditor', tv })).toBeNull();
      expect(claimsFromPayload({ sub: ID, role: 'merchant_admin', merchantId: MERCHANT, tv })).toBeNull();
    }
  });

  it("carries an official's session as sid, and refuses sid on any other role or as anything but a public id", () => {
    const official = { sub: ID, role: Role.CommerceOfficial, tokenVersion: 0, sessionId: MERCHANT };
    expect(payloadFromClaims(official)).toEqual({ sub: ID, role: 'commerce_official', tv: 0, sid: MERCHANT });
    expect(claimsFromPayload(payloadFromClaims(official))).toEqual(official);
    expect(claimsFromPayload({ sub: ID, role: 'resident', sid: MERCHANT })).toBeNull();
    for (const sid of ['not-a-uuid', 7, null]) expect(claimsFromPayload({ sub: ID, role: 'auditor', sid })).toBeNull();
  });
});
