import { endsEverySession, firstTokenExpiry, nextTokenExpiry, refusalOf, sessionPolicyOf } from './rotation-rules';

const config = { refreshTokenTtlSeconds: 2_592_000, staffSessionTtlSeconds: 43_200, officialSessionTtlSeconds: 36_000 };

describe('rotation rules', () => {
  it("renews a resident's session at each refresh, and keeps a staff member's or official's end fixed from sign-in", () => {
    const spentExpiresAt = new Date('2026-05-01T20:00:00Z');
    expect(nextTokenExpiry(sessionPolicyOf('resident', config), spentExpiresAt)).toEqual({ afterSeconds: 2_592_000 });
    expect(nextTokenExpiry(sessionPolicyOf('staff', config), spentExpiresAt)).toEqual({ at: spentExpiresAt });
    expect(nextTokenExpiry(sessionPolicyOf('official', config), spentExpiresAt)).toEqual({ at: spentExpiresAt });
  });

  it("starts each kind's session with its own configured lifetime", () => {
    expect(firstTokenExpiry(sessionPolicyOf('resident', config))).toEqual({ afterSeconds: 2_592_000 });
    expect(firstTokenExpiry(sessionPolicyOf('staff', config))).toEqual({ afterSeconds: 43_200 });
    expect(firstTokenExpiry(sessionPolicyOf('official', config))).toEqual({ afterSeconds: 36_000 });
  });

  it('refuses a token that is not live as unknown, expired, revoked or ended, and only the reuse of a revoked one in a live session ends every session', () => {
    expect(refusalOf(null, false)).toBe('unknown');
    expect(refusalOf({ revokedAt: null }, false)).toBe('expired');
    expect(refusalOf({ revokedAt: new Date() }, true)).toBe('revoked');
    expect(refusalOf({ revokedAt: new Date() }, false)).toBe('ended');
    expect(['unknown', 'expired', 'revoked', 'ended'].filter((refusal) => endsEverySession(refusal as never))).toEqual(['revoked']);
  });
});
