import { AuthUser, Role } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { AuditErrorCode } from './audit-errors';

/** The roles that may read the audit trail (and then only without a district). */
export const AUDIT_READER_ROLES = [Role.Auditor, Role.CommerceOfficial, Role.FinanceOfficial] as const;

/** A caller checked to read the whole audit trail: an official or auditor whose token names no district. */
export interface AuditReader {
  readonly sub: string;
  readonly role: Role;
  readonly cityWide: true;
}

/**
 * The trail is read city-wide or not at all. Scoping it to a district would need the district
 * of every subject (campaigns, merchants, batches, registries, staff each keep theirs
 * differently, and a batch has none), and a half-scoped trail that silently leaves entries
 * out is worse for an auditor than a refusal. So a district-scoped token is refused (403).
 */
export function auditReader(user: AuthUser): AuditReader {
  if (!(AUDIT_READER_ROLES as readonly Role[]).includes(user.role)) throw new Error(`auditReader called for role ${user.role}`);
  if (user.district !== undefined) {
    throw new AppError(AuditErrorCode.CityWideOnly, 'The audit trail is read city-wide only; a district-scoped official may not read it');
  }
  return { sub: user.sub, role: user.role, cityWide: true };
}
