import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import type { FastifyReply } from 'fastify';
import { RedeemDto } from './redeem.dto';
import { RedeemVoucher } from './redeem-voucher.usecase';
import { RedemptionView } from './redemption.view';

@ApiTags('checkout')
@Controller('v1/redemptions')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
export class CheckoutController {
  constructor(@Inject(RedeemVoucher) private readonly redeemVoucher: RedeemVoucher) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: "Apply a resident's voucher at the till",
    description:
      '201 with the discount once the voucher is redeemed; 200 with the first result for a retry (same order number, ' +
      'code and amount). Refusals, in the order they are checked: 400 CODE_MALFORMED, CODE_SIGNATURE_INVALID; 422 ' +
      'CODE_EXPIRED; 409 CODE_REPLAYED, CODE_SUPERSEDED, ORDER_NO_CONFLICT; 403 CASHIER_INACTIVE; 422 VOUCHER_NOT_HELD; ' +
      '409 VOUCHER_NOT_CLAIMED; 422 VOUCHER_EXPIRED; 403 MERCHANT_NOT_APPROVED; 422 CATEGORY_OUT_OF_SCOPE, ' +
      'DISTRICT_OUT_OF_SCOPE, BELOW_THRESHOLD. A code is spent by its first scan, even when that scan is refused.',
  })
  @ApiResponse({ status: 201, description: 'The redemption' })
  async redeem(
    @CurrentUser() cashier: AuthUser,
    @Body() body: RedeemDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedemptionView> {
    const result = await this.redeemVoucher.execute(cashier, body);
    if (!result.created) void reply.status(200);
    return result.redemption;
  }
}
