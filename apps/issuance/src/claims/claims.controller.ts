import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { ListVouchersQuery } from './list-vouchers.query';
import { ResidentVouchers } from './resident-vouchers';
import { VoucherView } from './voucher.view';

/** A resident's own vouchers. The grab itself is GrabRoute, served outside Nest's router. */
@ApiTags('grab')
@Controller('v1')
@Auth(Role.Resident)
export class ClaimsController {
  constructor(@Inject(ResidentVouchers) private readonly vouchers: ResidentVouchers) {}

  @Get('me/vouchers')
  @ApiOperation({ summary: "The caller's vouchers: claimed, redeemed and expired, newest first" })
  @ApiPageResponse(VoucherView)
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  list(@CurrentUser() user: AuthUser, @Query() query: ListVouchersQuery): Promise<Page<VoucherView>> {
    return this.vouchers.list(user.sub, query.status, query.limit, query.cursor);
  }
}
