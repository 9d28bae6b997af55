import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { IdCasePipe } from '@vouchers/http';
import { MerchantCallers } from '@vouchers/merchant-caller';
import type { FastifyReply } from 'fastify';
import { RefundDto } from './refund.dto';
import { RefundRedemption } from './refund-redemption.usecase';
import { RefundView } from './refund.view';

@ApiTags('refunds')
@Controller('v1/redemptions')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
export class RefundsController {
  constructor(
    @Inject(RefundRedemption) private readonly refundRedemption: RefundRedemption,
    @Inject(MerchantCallers) private readonly callers: MerchantCallers,
  ) {}

  @Post(':redemptionId/refunds')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Refund goods of a redeemed order',
    description:
      'A full refund takes the discount back and makes the voucher usable again (or expired, past its validity). A ' +
      "partial refund keeps the discount unless the order left falls below the voucher's threshold (the campaign's " +
      'policy may keep it always). Taken back after settlement, the subsidy becomes a clawback on the next batch. ' +
      '200 with the first result for a retry with the same refund number; 409 REFUND_NO_CONFLICT for the number reused; ' +
      '422 REFUND_EXCEEDS_ORDER, REFUND_LESS_THAN_DISCOUNT; 404 REDEMPTION_NOT_FOUND.',
  })
  @ApiParam({ name: 'redemptionId', description: 'Public id of the redemption' })
  @ApiResponse({ status: 201, description: 'The refund' })
  async refund(
    @CurrentUser() actor: AuthUser,
    @Param('redemptionId', IdCasePipe) redemptionId: string,
    @Body() body: RefundDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundView> {
    await this.callers.check(actor);
    const result = await this.refundRedemption.execute(actor, redemptionId, body);
    if (!result.created) void reply.status(200);
    return result.refund;
  }
}
