import { Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import type { FastifyReply } from 'fastify';
import { ClaimVoucher } from './claim-voucher.usecase';
import { ListVouchersQuery } from './list-vouchers.query';
import { ResidentVouchers } from './resident-vouchers';
import { VoucherView } from './voucher.view';

@ApiTags('grab')
@Controller('v1')
@Auth(Role.Resident)
export class ClaimsController {
  constructor(
    @Inject(ClaimVoucher) private readonly claimVoucher: ClaimVoucher,
    @Inject(ResidentVouchers) private readonly vouchers: ResidentVouchers,
  ) {}

  @Post('rounds/:roundId/claims')
  @ApiOperation({
    summary: 'Grab a voucher in an open round',
    description:
      '201 with the new voucher once it is saved; 200 with the same voucher for a retry (same Idempotency-Key, or the ' +
      'same person and round). 409 SOLD_OUT, ALREADY_CLAIMED, ROUND_NOT_OPEN, ROUND_CLOSED, CAMPAIGN_NOT_ACTIVE, ' +
      'BUDGET_EXHAUSTED; 403 REAL_NAME_REQUIRED; 503 with Retry-After while stock is being recounted or a save failed.',
  })
  @ApiParam({ name: 'roundId', description: 'Public id of the round (UUID)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-64 characters [A-Za-z0-9_-]' })
  @ApiResponse({ status: 201, description: 'The voucher' })
  async claim(
    @CurrentUser() user: AuthUser,
    // Checked by hand, not by the validation pipe: this is the hottest route of the platform.
    @Param('roundId') roundId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VoucherView> {
    const result = await this.claimVoucher.execute(user, roundId, idempotencyKey ?? '');
    void reply.status(result.created ? 201 : 200);
    return result.voucher;
  }

  @Get('me/vouchers')
  @ApiOperation({ summary: "The caller's vouchers: claimed, redeemed and expired, newest first" })
  list(@CurrentUser() user: AuthUser, @Query() query: ListVouchersQuery): Promise<Page<VoucherView>> {
    return this.vouchers.list(user.sub, query.status, query.limit, query.cursor);
  }
}
