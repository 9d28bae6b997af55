import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AppError, isPublicId } from '@vouchers/common';
import { Voucher } from '@vouchers/database';
import { VoucherCodes } from '@vouchers/voucher-code';
import { DataSource } from 'typeorm';
import { CheckoutCodeErrorCode } from './checkout-code-errors';
import { OWNED_VOUCHER_STATE } from './checkout-code.sql';

export class CheckoutCodeView {
  @ApiProperty({ format: 'uuid' })
  voucherId: string;

  @ApiProperty({ description: 'The text to render as a QR code; shown at the till, good for one scan' })
  code: string;

  @ApiProperty({ format: 'date-time', description: 'About 60 seconds from now' })
  expiresAt: string;
}

/**
 * A fresh checkout code for one of the caller's vouchers: signed (voucher, resident, expiry
 * about 60 s, one-time nonce) and recorded as the voucher's current code, so any earlier
 * code of it stops working.
 */
@Injectable()
export class IssueCheckoutCode {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(VoucherCodes) private readonly codes: VoucherCodes,
  ) {}

  async execute(residentId: string, voucherId: string): Promise<CheckoutCodeView> {
    const notFound = new AppError(CheckoutCodeErrorCode.VoucherNotFound, 'You hold no such voucher');
    if (!isPublicId(voucherId)) throw notFound;
    const [voucher]: Array<Pick<Voucher, 'status'> & { expired: boolean }> = await this.db.query(OWNED_VOUCHER_STATE, [voucherId, residentId]);
    if (!voucher) throw notFound;
    if (voucher.status !== 'claimed' || voucher.expired) {
      const state = voucher.status === 'claimed' ? 'expired' : voucher.status;
      throw new AppError(CheckoutCodeErrorCode.VoucherNotUsable, `This voucher is ${state}`, { status: state });
    }
    const { code, expiresAt } = await this.codes.issue(voucherId, residentId);
    return { voucherId, code, expiresAt: expiresAt.toISOString() };
  }
}
