import { Inject, Injectable } from '@nestjs/common';
import { TokenService } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { OneTimeCodes, requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { staffViewOf } from '../staff/dtos/staff.view';
import { StaffSessionView } from './dtos/staff-session.view';
import { StaffAuthErrorCode } from './staff-auth-errors';
import { findMemberships } from './staff-memberships';

export interface SignInStaffCommand {
  phone: string;
  code: string;
  merchantId?: string;
  address: string;
}

/**
 * Signs an admin or cashier in by phone and one-time code, to one merchant. Only an access
 * token is issued (short-lived, like every access token here), no refresh token: staff sign
 * in again by code, and a disabled cashier is locked out within minutes without a
 * revocation list.
 */
@Injectable()
export class SignInStaff {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(command: SignInStaffCommand): Promise<StaffSessionView> {
    const phone = requirePhone(command.phone);
    const memberships = await findMemberships(this.db.manager, phone);
    const mustChoose = command.merchantId === undefined && memberships.length > 1;
    // Nothing is told about the number before its code is proven. When a choice is still
    // needed, the good code is kept, so the same code answers again with the merchant chosen.
    await this.codes.verify({ ...command, consume: !mustChoose });
    if (mustChoose) {
      throw AppError.conflict(StaffAuthErrorCode.MerchantChoiceRequired, 'This number works at several merchants; say which one', {
        merchants: memberships.map((membership) => ({ merchantId: membership.merchantId, shopName: membership.shopName })),
      });
    }
    const chosen = command.merchantId === undefined ? memberships[0] : memberships.find((m) => m.merchantId === command.merchantId);
    if (!chosen) {
      throw new AppError(StaffAuthErrorCode.NoMerchantAccess, 'This number is not on the active staff of that merchant, or of any', 403);
    }
    const staff = staffViewOf(chosen.staff);
    return {
      accessToken: this.tokens.issueAccessToken({ sub: chosen.staff.publicId, role: staff.role, merchantId: chosen.merchantId }),
      expiresInSeconds: this.config.accessTokenTtlSeconds,
      staff,
      merchant: { id: chosen.merchantId, shopName: chosen.shopName, status: chosen.merchantStatus },
    };
  }
}
