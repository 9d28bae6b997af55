import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { MerchantCallerErrorCode, MerchantCallers } from '@vouchers/merchant-caller';
import { RedemptionView } from '../checkout/redemption.view';
import { DayPageQuery } from './day-page.query';
import { DayParams } from './day.params';
import { DayTotals } from './day-totals.usecase';
import { DayTotalsView } from './day-totals.view';
import { ListRedemptions } from './list-redemptions.usecase';

/** A merchant's books. Paths name no merchant: the caller's merchant (token and active staff row) is the only scope. */
@ApiTags('redemptions')
@Controller('v1/redemptions')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
@AnswersErrors(MerchantCallerErrorCode.StaffInactive, CommonErrorCode.DatabaseUnavailable)
export class RedemptionsController {
  constructor(
    @Inject(ListRedemptions) private readonly listRedemptions: ListRedemptions,
    @Inject(DayTotals) private readonly dayTotals: DayTotals,
    @Inject(MerchantCallers) private readonly callers: MerchantCallers,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Your merchant's redemptions, newest first, in keyset pages",
    description:
      'Each item as the till showed it when the voucher was applied (redemptionId, voucherId, amounts in fen, status now, ' +
      'business day). `date` keeps one business day (Asia/Shanghai); `nextCursor` fetches the next page.',
  })
  @ApiPageResponse(RedemptionView)
  async list(@CurrentUser() user: AuthUser, @Query() query: DayPageQuery): Promise<Page<RedemptionView>> {
    const caller = await this.callers.check(user);
    return this.listRedemptions.execute(caller.merchantId, query);
  }

  @Get('days/:date')
  @ApiOperation({
    summary: "Your merchant's totals for one business day",
    description:
      'redemptions: those made that day (whatever happened to them later); refunds: those made that day, of redemptions ' +
      'of any day; clawbackFen: the part of discountReversedFen that had already been paid out; netSubsidyFen: ' +
      'redemptions.discountFen - refunds.discountReversedFen. All amounts integer fen. A day with nothing gives zeros.',
  })
  @ApiOkResponse({ type: DayTotalsView })
  // The date in the path is held to DayParams: a day that does not exist is refused.
  @AnswersErrors(CommonErrorCode.ValidationFailed)
  async day(@CurrentUser() user: AuthUser, @Param() params: DayParams): Promise<DayTotalsView> {
    const caller = await this.callers.check(user);
    return this.dayTotals.execute(caller.merchantId, params.date);
  }
}
