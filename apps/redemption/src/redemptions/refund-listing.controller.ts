import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { MerchantCallerErrorCode, MerchantCallers } from '@vouchers/merchant-caller';
import { RefundView } from '../refunds/refund.view';
import { DayPageQuery } from './day-page.query';
import { ListRefunds } from './list-refunds.usecase';

/** A merchant's refunds. The path names no merchant: the caller's merchant (token and active staff row) is the only scope. */
@ApiTags('refunds')
@Controller('v1/refunds')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
@AnswersErrors(MerchantCallerErrorCode.StaffInactive, CommonErrorCode.DatabaseUnavailable)
export class RefundListingController {
  constructor(
    @Inject(ListRefunds) private readonly listRefunds: ListRefunds,
    @Inject(MerchantCallers) private readonly callers: MerchantCallers,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Your merchant's refunds, newest first, in keyset pages",
    description:
      'Each item as the refund answered it (refundId, redemptionId, amounts in fen, whether it became a clawback, ' +
      'business day). `date` keeps one business day (Asia/Shanghai) of the refund; `nextCursor` fetches the next page.',
  })
  @ApiPageResponse(RefundView)
  async list(@CurrentUser() user: AuthUser, @Query() query: DayPageQuery): Promise<Page<RefundView>> {
    const caller = await this.callers.check(user);
    return this.listRefunds.execute(caller.merchantId, query);
  }
}
