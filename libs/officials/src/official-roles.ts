import { Role } from '@vouchers/auth';

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
