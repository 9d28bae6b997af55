import { isDistrict, isPublicId } from '@vouchers/common';
import { AuthUser, MERCHANT_ROLES, OFFICIAL_ROLES, Role, ROLES } from './roles';

/**
 * Checks a verified token's payload has exactly the shape its role requires, so a token
 * minted for one role can never be read as carrying another role's scope.
 */
export function claimsFromPayload(payload: unknown): AuthUser | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { sub, role, merchantId, district } = payload as Record<string, unknown>;
  if (!isPublicId(sub) || !(ROLES as unknown[]).includes(role)) return null;
  const typedRole = role as Role;
  if (MERCHANT_ROLES.has(typedRole) !== (merchantId !== undefined)) return null;
  if (merchantId !== undefined && !isPublicId(merchantId)) return null;
  if (district !== undefined && (!OFFICIAL_ROLES.has(typedRole) || !isDistrict(district))) return null;
  return {
    sub,
    role: typedRole,
    ...(merchantId !== undefined ? { merchantId } : {}),
    ...(district !== undefined ? { district } : {}),
  };
}
