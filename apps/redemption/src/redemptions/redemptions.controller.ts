import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, merchantIdOf, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { RedemptionView } from '../checkout/redemption.view';
import { DayPageQuery } from './day-page.query';
import { DayParams } from './day.params';
import { DayTotals } from './day-totals.usecase';
import { DayTotalsView } from './day-totals.view';
import { ListRedemptions } from './list-redemptions.usecase';

/** A merchant's books. Paths name no merchant: the token's merchant is the only scope. */
@ApiTags('redemptions')
@Controller('v1/redemptions')
@Auth(Role.MerchantStaff, Role.MerchantAdmin)
@ApiForbiddenResponse({ description: 'FORBIDDEN: not a merchant staff or admin token' })
export class RedemptionsController {
  constructor(
    @Inject(ListRedemptions) private readonly listRedemptions: ListRedemptions,
    @Inject(DayTotals) private readonly dayTotals: DayTotals,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Your merchant's redemptions, newest first, in keyset pages",
    description:
      'Each item as the till showed it when the voucher was applied (redemptionId, voucherId, amounts in fen, status now, ' +
      'business day). `date` keeps one business day (Asia/Shanghai); `nextCursor` fetches the next page.',
  })
  @ApiOkResponse({ description: '{ items: RedemptionView[], nextCursor: string | null }' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (date, limit), INVALID_CURSOR' })
  list(@CurrentUser() user: AuthUser, @Query() query: DayPageQuery): Promise<Page<RedemptionView>> {
    return this.listRedemptions.execute(merchantIdOf(user), query);
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
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the date is not a YYYY-MM-DD day that exists' })
  day(@CurrentUser() user: AuthUser, @Param() params: DayParams): Promise<DayTotalsView> {
    return this.dayTotals.execute(merchantIdOf(user), params.date);
  }
}
