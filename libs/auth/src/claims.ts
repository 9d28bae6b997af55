import { isDistrict, isPublicId } from '@vouchers/common';
import { AuthUser, MERCHANT_ROLES, OFFICIAL_ROLES, Role, ROLES } from './roles';

/**
 * Checks a verified token's payload has exactly the shape its role requires, so a token
 * minted for one role can never be read as carrying another role's scope.
 */
export function claimsFromPayload(payload: unknown): AuthUser | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { sub, role, merchantId, district, rv, tv, sid } = payload as Record<string, unknown>;
  if (!isPublicId(sub) || !(ROLES as unknown[]).includes(role)) return null;
  const typedRole = role as Role;
  if (MERCHANT_ROLES.has(typedRole) !== (merchantId !== undefined)) return null;
  if (merchantId !== undefined && !isPublicId(merchantId)) return null;
  if (district !== undefined && (!OFFICIAL_ROLES.has(typedRole) || !isDistrict(district))) return null;
  // Real-name verification is a resident's property only, and only ever asserted (rv: 1), never denied.
  if (rv !== undefined && (typedRole !== Role.Resident || rv !== 1)) return null;
  // Officials' and merchant staff's accounts have a token version; residents' do not.
  const versioned = OFFICIAL_ROLES.has(typedRole) || MERCHANT_ROLES.has(typedRole);
  if (tv !== undefined && (!versioned || !Number.isSafeInteger(tv) || (tv as number) < 0)) return null;
  if (sid !== undefined && (!OFFICIAL_ROLES.has(typedRole) || !isPublicId(sid))) return null;
  return {
    sub,
    role: typedRole,
    ...(merchantId !== undefined ? { merchantId } : {}),
    ...(district !== undefined ? { district } : {}),
    ...(rv === 1 ? { verified: true } : {}),
    ...(tv !== undefined ? { tokenVersion: tv as number } : {}),
    ...(sid !== undefined ? { sessionId: sid } : {}),
  };
}

/**
 * The token payload for a user: the inverse of claimsFromPayload. `verified` travels as the
 * compact claim `rv: 1` (absent when not verified), `tokenVersion` as `tv`, `sessionId` as
 * `sid`; every other field is signed as it is.
 */
export function payloadFromClaims(user: AuthUser): Record<string, unknown> {
  const { verified, tokenVersion, sessionId, ...rest } = user;
  return {
    ...rest,
    ...(verified === true ? { rv: 1 } : {}),
    ...(tokenVersion !== undefined ? { tv: tokenVersion } : {}),
    ...(sessionId !== undefined ? { sid: sessionId } : {}),
  };
}
