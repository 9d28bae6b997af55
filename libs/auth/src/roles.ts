/** The roles of DESIGN §10. Merchant roles are scoped to one merchant, officials to the city or one district. */
export enum Role {
  Resident = 'resident',
  MerchantStaff = 'merchant_staff',
  MerchantAdmin = 'merchant_admin',
  CommerceOfficial = 'commerce_official',
  FinanceOfficial = 'finance_official',
  Auditor = 'auditor',
  /** Creates, changes and disables officials' accounts (city-wide only). */
  OfficialAdmin = 'official_admin',
}

export const ROLES = Object.values(Role);

export const MERCHANT_ROLES: ReadonlySet<Role> = new Set([Role.MerchantStaff, Role.MerchantAdmin]);
export const OFFICIAL_ROLES: ReadonlySet<Role> = new Set([
  Role.CommerceOfficial,
  Role.FinanceOfficial,
  Role.Auditor,
  Role.OfficialAdmin,
]);

/** What a verified access token says about its bearer; read from the token alone, no database. */
export interface AuthUser {
  /** Public id of the resident, staff member or official. */
  sub: string;
  role: Role;
  /** Public id of the merchant, for merchant roles only. */
  merchantId?: string;
  /** District code, for officials limited to one district; absent means city-wide. */
  district?: string;
  /**
   * Residents only: true once real-name verified; absent otherwise. Carried in the token (as
   * the `rv` claim) so the grab can refuse unverified residents without reading the database.
   */
  verified?: boolean;
  /**
   * Officials and merchant staff: the account's token version when the token was signed (the
   * `tv` claim, absent meaning 0). An official's is raised by disabling, a reset or a change of
   * role or district, and the guard refuses a token of an older one (OfficialStanding); a staff
   * member's by disabling, and every merchant-side route refuses an older one, so a member
   * enabled again signs in again (requireMerchantCaller, the till's REDEEM_BATCH).
   */
  tokenVersion?: number;
  /**
   * Officials only: the sign-in session the token was issued in (the `sid` claim). Signing out
   * ends the session, and the guard refuses its access tokens from then on (OfficialStanding).
   */
  sessionId?: string;
}

/** The merchant a merchant-role token is scoped to; anything else is refused. */
export function merchantIdOf(user: AuthUser): string {
  if (!MERCHANT_ROLES.has(user.role) || !user.merchantId) {
    throw new Error('merchantIdOf called for a token without a merchant scope');
  }
  return user.merchantId;
}
