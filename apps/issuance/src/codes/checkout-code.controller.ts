import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, IdCasePipe } from '@vouchers/http';
import { CheckoutCodeErrorCode } from './checkout-code-errors';
import { CheckoutCodeView, IssueCheckoutCode } from './checkout-code.usecase';

@ApiTags('checkout')
@Controller('v1/me/vouchers')
@Auth(Role.Resident)
export class CheckoutCodeController {
  constructor(@Inject(IssueCheckoutCode) private readonly issueCode: IssueCheckoutCode) {}

  @Post(':voucherId/code')
  @HttpCode(201)
  @ApiOperation({
    summary: 'A checkout code for one of my vouchers',
    description:
      'Signed text to show as a QR code at the till, valid about 60 seconds and for one scan; a new code replaces the ' +
      'previous one. VOUCHER_NOT_FOUND for a voucher that is not yours; VOUCHER_NOT_USABLE once redeemed or expired.',
  })
  @ApiParam({ name: 'voucherId', description: 'Public id of the voucher', format: 'uuid' })
  @ApiCreatedResponse({ type: CheckoutCodeView })
  @AnswersErrors(
    CheckoutCodeErrorCode.VoucherNotFound,
    CheckoutCodeErrorCode.VoucherNotUsable,
    CommonErrorCode.DatabaseUnavailable,
    CommonErrorCode.ServiceUnavailable,
  )
  issue(@CurrentUser() user: AuthUser, @Param('voucherId', IdCasePipe) voucherId: string): Promise<CheckoutCodeView> {
    return this.issueCode.execute(user.sub, voucherId);
  }
}
