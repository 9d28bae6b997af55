import type { AppConfig } from '@vouchers/config';
import type { AccountKind } from '@vouchers/database';

/**
 * How long a kind of account's session lasts. A renewing session (residents) gives each new
 * token the whole lifetime again, so a phone used once a month stays signed in; a fixed one
 * (staff, officials) ends a set time after sign-in however often it is refreshed: a till's
 * session lasts a shift, then the cashier proves their number again.
 */
export interface SessionPolicy {
  lifetimeSeconds: number;
  renewedOnRefresh: boolean;
}

export type SessionConfig = Pick<AppConfig, 'refreshTokenTtlSeconds' | 'staffSessionTtlSeconds' | 'officialSessionTtlSeconds'>;

export function sessionPolicyOf(kind: AccountKind, config: SessionConfig): SessionPolicy {
  switch (kind) {
    case 'resident':
      return { lifetimeSeconds: config.refreshTokenTtlSeconds, renewedOnRefresh: true };
    case 'staff':
      return { lifetimeSeconds: config.staffSessionTtlSeconds, renewedOnRefresh: false };
    case 'official':
      return { lifetimeSeconds: config.officialSessionTtlSeconds, renewedOnRefresh: false };
  }
}

/** When a token expires: a lifetime counted on Postgres's clock from its insert, or a moment carried over. */
export type TokenExpiry = { afterSeconds: number } | { at: Date };

export function firstTokenExpiry(policy: SessionPolicy): TokenExpiry {
  return { afterSeconds: policy.lifetimeSeconds };
}

/** The expiry of the token that replaces a spent one of the same session. */
export function nextTokenExpiry(policy: SessionPolicy, spentExpiresAt: Date): TokenExpiry {
  return policy.renewedOnRefresh ? { afterSeconds: policy.lifetimeSeconds } : { at: spentExpiresAt };
}

/** Why a refresh token was not accepted. */
export type RefreshRefusal = 'unknown' | 'expired' | 'revoked' | 'ended';

/**
 * Why a token that could not be consumed (it was not live) is refused, from its row of the
 * presented kind and whether its session still has a live token: none is unknown; one never
 * revoked has run out; one already revoked while its session goes on (spent by a refresh whose
 * successor is live) is being used again; one whose session has ended (logout, a disabled
 * account, a theft response, or its last token run out) belongs to a session that is over.
 */
export function refusalOf(row: { revokedAt: Date | null } | null, sessionLive: boolean): RefreshRefusal {
  if (!row) return 'unknown';
  if (row.revokedAt === null) return 'expired';
  return sessionLive ? 'revoked' : 'ended';
}

/**
 * A revoked token that comes back while its session goes on means two parties hold the chain,
 * one of them perhaps a thief, and no one can tell which: every live session of the account
 * ends (its own family first of all), and the owner signs in again. A token of a session that
 * is over opens nothing, whoever holds it: ending the owner's other sessions for it would only
 * let someone with an old device's token sign its owner out, again and again.
 */
export function endsEverySession(refusal: RefreshRefusal): boolean {
  return refusal === 'revoked';
}

/** Whether the token was revoked (as opposed to unknown or run out): its account may then have been disabled since. */
export function wasRevoked(refusal: RefreshRefusal): boolean {
  return refusal === 'revoked' || refusal === 'ended';
}
