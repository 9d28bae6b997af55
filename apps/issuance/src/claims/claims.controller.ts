import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { AppError, CommonErrorCode, isPublicId, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, IdCasePipe } from '@vouchers/http';
import { CheckoutCodeErrorCode } from '../codes/checkout-code-errors';
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

  @Get('me/vouchers/:voucherId')
  @ApiParam({ name: 'voucherId', description: 'Public id of the voucher (either case)', format: 'uuid' })
  @ApiOperation({
    summary: "One of the caller's vouchers",
    description: 'The checkout code page reads it while the code is shown, to tell the resident at once that the till took the voucher.',
  })
  @ApiOkResponse({ type: VoucherView })
  @AnswersErrors(CheckoutCodeErrorCode.VoucherNotFound, CommonErrorCode.DatabaseUnavailable)
  async one(@CurrentUser() user: AuthUser, @Param('voucherId', IdCasePipe) voucherId: string): Promise<VoucherView> {
    // Another resident's voucher and an id that is no UUID are answered alike.
    const voucher = isPublicId(voucherId) ? await this.vouchers.findOne(user.sub, voucherId) : null;
    if (!voucher) throw new AppError(CheckoutCodeErrorCode.VoucherNotFound, 'You hold no such voucher');
    return voucher;
  }
}
