import { Inject, Injectable } from '@nestjs/common';
import { TokenService } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import { IssuedRefreshToken, Sessions } from '@vouchers/sessions';
import { EntityManager } from 'typeorm';
import { staffViewOf } from '../staff/dtos/staff.view';
import { StaffSessionView } from './dtos/staff-session.view';
import { Membership } from './staff-memberships';

/**
 * Mints a staff member's tokens for one merchant: an access token scoped to it and a refresh
 * token of a session that lasts a shift (staffSessionTtlSeconds from sign-in).
 */
@Injectable()
export class StaffSessionIssuer {
  constructor(
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** A new session, its refresh token stored in the caller's transaction (or at once). */
  async start(manager: EntityManager, membership: Membership): Promise<StaffSessionView> {
    return this.viewOf(membership, await this.sessions.start(manager, { kind: 'staff', id: membership.staffRowId }));
  }

  viewOf(membership: Membership, issued: IssuedRefreshToken): StaffSessionView {
    const staff = staffViewOf(membership.staff);
    // The member's token version, as the routes check it; a member never disabled has 0, which a token without it reads as.
    const { tokenVersion } = membership.staff;
    const user = { sub: membership.staff.publicId, role: staff.role, merchantId: membership.merchantId, ...(tokenVersion > 0 ? { tokenVersion } : {}) };
    return {
      accessToken: this.tokens.issueAccessToken(user),
      expiresInSeconds: this.config.accessTokenTtlSeconds,
      refreshToken: issued.refreshToken,
      sessionExpiresAt: issued.expiresAt,
      staff,
      merchant: { id: membership.merchantId, shopName: membership.shopName, status: membership.merchantStatus },
    };
  }
}
