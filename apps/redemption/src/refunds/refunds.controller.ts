import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, IdCasePipe } from '@vouchers/http';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import type { FastifyReply } from 'fastify';
import { RefundDto } from './refund.dto';
import { RefundErrorCode } from './refund-errors';
import { RefundRedemption } from './refund-redemption.usecase';
import { RefundView } from './refund.view';

@ApiTags('refunds')
@Controller('v1/redemptions')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
export class RefundsController {
  constructor(
    @Inject(RefundRedemption) private readonly refundRedemption: RefundRedemption,
  ) {}

  @Post(':redemptionId/refunds')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Refund goods of a redeemed order',
    description:
      'A full refund takes the discount back and makes the voucher usable again (or expired, past its validity). A ' +
      "partial refund keeps the discount unless the order left falls below the voucher's threshold (the campaign's " +
      'policy may keep it always). Taken back after settlement, the subsidy becomes a clawback on the next batch. ' +
      '200 with the first result for a retry with the same refund number; REFUND_NO_CONFLICT for the number reused.',
  })
  @ApiParam({ name: 'redemptionId', description: 'Public id of the redemption', format: 'uuid' })
  @ApiCreatedResponse({ type: RefundView, description: 'The refund' })
  @ApiOkResponse({ type: RefundView, description: 'The first result, for a retry with the same refund number' })
  @AnswersErrors(...Object.values(RefundErrorCode), MerchantCallerErrorCode.StaffInactive, CommonErrorCode.DatabaseUnavailable)
  async refund(
    @CurrentUser() actor: AuthUser,
    @Param('redemptionId', IdCasePipe) redemptionId: string,
    @Body() body: RefundDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundView> {
    const result = await this.refundRedemption.execute(actor, redemptionId, body);
    if (!result.created) void reply.status(200);
    return result.refund;
  }
}
