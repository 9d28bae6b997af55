// Officials' accounts as the settlement app answers them (apps/settlement/src/officials), and the
// API's rules the accounts page mirrors, so it offers only what the API would accept:
// - an account administrator is always city-wide (requireScopeFits: ADMINISTRATOR_CITY_WIDE);
// - an administrator cannot disable, enable or reset their own account, nor change its role
//   (refuseOwnAccount: CANNOT_CHANGE_OWN_ACCOUNT); their own name they may change;
// - a disabled account can only be enabled again (with a new activation code, as a reset gives),
//   and only a disabled one can (OFFICIAL_NOT_DISABLED).
// The API checks all of it again; its refusals are shown in words (messages.ts, accounts.<CODE>).
import type { OfficialRole } from './official-session';

export const ACCOUNT_ROLES: readonly OfficialRole[] = ['commerce_official', 'finance_official', 'auditor', 'official_admin'];

export type AccountStatus = 'active' | 'pending_activation' | 'disabled';
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'pending_activation', 'disabled'];

/** The list's district filter for the accounts with no district (GET /v1/officials?district=city). */
export const CITY_WIDE_FILTER = 'city';

/** OfficialView: phones come masked, and no credential ever comes. */
export interface OfficialAccount {
  id: string;
  name: string;
  phone: string;
  role: OfficialRole;
  district: string | null;
  status: AccountStatus;
  activationExpiresAt: string | null;
  createdAt: string;
  disabledAt: string | null;
  /** When the holder last signed in; null: never. */
  lastSignInAt: string | null;
}

/** ActivationIssuedView: a new, reset or re-enabled account and its one-time code, answered this once. */
export interface ActivationIssued {
  official: OfficialAccount;
  activationCode: string;
  activationExpiresAt: string;
}

/** The form's fields; district '' is city-wide. */
export interface AccountFields {
  name: string;
  role: OfficialRole;
  district: string;
}

/** Whether an account of the role may be limited to one district (administrators may not). */
export function mayHaveDistrict(role: OfficialRole): boolean {
  return role !== 'official_admin';
}

/** The district to send for the role: null (city-wide) when none is chosen or the role may have none. */
export function districtFor(role: OfficialRole, district: string): string | null {
  return mayHaveDistrict(role) && district !== '' ? district : null;
}

export interface AccountActions {
  edit: boolean;
  /** Whether the role (and so the district) may be changed, beside the name. */
  changeRole: boolean;
  reset: boolean;
  disable: boolean;
  enable: boolean;
}

/** What the page offers on an account to the administrator signed in (`me`: their id). */
export function actionsOn(account: Pick<OfficialAccount, 'id' | 'status'>, me: string | undefined): AccountActions {
  const live = account.status !== 'disabled';
  const other = account.id !== me;
  return { edit: live, changeRole: live && other, reset: live && other, disable: live && other, enable: !live && other };
}

/** The PATCH body: only what changed (the API changes only what is sent); district null is city-wide. */
export function changesOf(
  account: Pick<OfficialAccount, 'name' | 'role' | 'district'>,
  fields: AccountFields,
): { name?: string; role?: OfficialRole; district?: string | null } {
  const changes: { name?: string; role?: OfficialRole; district?: string | null } = {};
  const name = fields.name.trim();
  if (name !== account.name) changes.name = name;
  if (fields.role !== account.role) changes.role = fields.role;
  const district = districtFor(fields.role, fields.district);
  if (district !== account.district) changes.district = district;
  return changes;
}

/** Whether saving the fields signs the account out everywhere (a new role or district does). */
export function signsOutEverywhere(account: Pick<OfficialAccount, 'name' | 'role' | 'district'>, fields: AccountFields): boolean {
  const changes = changesOf(account, fields);
  return 'role' in changes || 'district' in changes;
}

/** Whether an account awaiting activation can no longer be activated: its code has run out (a reset issues a new one). */
export function activationExpired(account: Pick<OfficialAccount, 'status' | 'activationExpiresAt'>, now: number = Date.now()): boolean {
  return account.status === 'pending_activation' && account.activationExpiresAt !== null && Date.parse(account.activationExpiresAt) <= now;
}

/** Days without a sign-in after which an account in use is marked: a dormant account is one nobody watches. */
export const DORMANT_DAYS = 90;

/**
 * Whether an active account has gone DORMANT_DAYS or more without a sign-in: since its last one,
 * or since it was created if it never signed in. An account awaiting activation or disabled
 * cannot sign in, and its status says so already: not marked.
 */
export function dormant(account: Pick<OfficialAccount, 'status' | 'lastSignInAt' | 'createdAt'>, now: number = Date.now()): boolean {
  if (account.status !== 'active') return false;
  return now - Date.parse(account.lastSignInAt ?? account.createdAt) >= DORMANT_DAYS * 86_400_000;
}

/** What is wrong with the name as typed, or null: the API wants one not blank, of at most 64 characters. */
export function nameProblem(name: string): 'required' | 'tooLong' | null {
  if (name.trim() === '') return 'required';
  return [...name.trim()].length > 64 ? 'tooLong' : null;
}

/**
 * Whether the phone as typed looks like a mainland mobile number (spaces, dashes and +86 forgiven,
 * as the API forgives them); the API decides (INVALID_PHONE), this only spares a round trip.
 */
export function looksLikeMobile(phone: string): boolean {
  const compact = phone.replace(/[\s-]/g, '').replace(/^(?:\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(compact);
}
