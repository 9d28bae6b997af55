import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, merchantIdOf, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { RefundView } from '../refunds/refund.view';
import { DayPageQuery } from './day-page.query';
import { ListRefunds } from './list-refunds.usecase';

/** A merchant's refunds. The path names no merchant: the token's merchant is the only scope. */
@ApiTags('refunds')
@Controller('v1/refunds')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
@ApiForbiddenResponse({ description: 'FORBIDDEN: not a merchant staff or admin token' })
export class RefundListingController {
  constructor(@Inject(ListRefunds) private readonly listRefunds: ListRefunds) {}

  @Get()
  @ApiOperation({
    summary: "Your merchant's refunds, newest first, in keyset pages",
    description:
      'Each item as the refund answered it (refundId, redemptionId, amounts in fen, whether it became a clawback, ' +
      'business day). `date` keeps one business day (Asia/Shanghai) of the refund; `nextCursor` fetches the next page.',
  })
  @ApiOkResponse({ description: '{ items: RefundView[], nextCursor: string | null }' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (date, limit), INVALID_CURSOR' })
  list(@CurrentUser() user: AuthUser, @Query() query: DayPageQuery): Promise<Page<RefundView>> {
    return this.listRefunds.execute(merchantIdOf(user), query);
  }
}
