import { Role } from '@vouchers/auth';
import { Official } from '@vouchers/database';
import { FindOptionsWhere, IsNull, Not } from 'typeorm';

/** The roles an official's account may hold. */
export const ACCOUNT_ROLES = [Role.CommerceOfficial, Role.FinanceOfficial, Role.Auditor, Role.OfficialAdmin] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export function isAccountRole(value: unknown): value is AccountRole {
  return (ACCOUNT_ROLES as readonly unknown[]).includes(value);
}

/** What an account is: disabled outranks an outstanding activation (new or reset). */
export type AccountStatus = 'pending_activation' | 'active' | 'disabled';
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['pending_activation', 'active', 'disabled'];

export function accountStatusOf(row: { disabledAt: Date | null; activationCodeHash: string | null }): AccountStatus {
  if (row.disabledAt !== null) return 'disabled';
  return row.activationCodeHash !== null ? 'pending_activation' : 'active';
}

/**
 * accountStatusOf as a condition on the officials table, for lists filtered by status: the same
 * rule (disabled outranks an outstanding activation), which the list's e2e test holds to
 * accountStatusOf by reading each status back.
 */
export const ACCOUNT_STATUS_WHERE: Readonly<Record<AccountStatus, FindOptionsWhere<Official>>> = {
  disabled: { disabledAt: Not(IsNull()) },
  pending_activation: { disabledAt: IsNull(), activationCodeHash: Not(IsNull()) },
  active: { disabledAt: IsNull(), activationCodeHash: IsNull() },
};
