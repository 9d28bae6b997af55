import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { CHECK_OTP_REFUSALS, OtpSentView, SEND_OTP_REFUSALS } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { ResidentErrorCode } from '../resident-errors';
import { CloseAccount } from './close-account.usecase';
import { ClosingErrorCode } from './closing-errors';
import { CloseAccountDto } from './dtos/close-account.dto';
import { SendClosingCode } from './send-closing-code.usecase';

/** The signed-in resident closes their own account, confirmed by a code sent to its number. */
@ApiTags('residents')
@Controller('v1/residents/me/closing')
@Auth(Role.Resident)
@AnswersErrors(ResidentErrorCode.ResidentNotFound, CommonErrorCode.DatabaseUnavailable)
export class ClosingController {
  constructor(
    @Inject(SendClosingCode) private readonly sendCode: SendClosingCode,
    @Inject(CloseAccount) private readonly closeAccount: CloseAccount,
  ) {}

  @Post('otp')
  @HttpCode(202)
  @ApiOperation({ summary: "Send a six-digit closing code to your account's number (valid 5 minutes; limits as for sign-in codes); it cannot sign anyone in" })
  @ApiAcceptedResponse({ type: OtpSentView })
  @AnswersErrors(...SEND_OTP_REFUSALS)
  send(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<OtpSentView> {
    return this.sendCode.execute(user, request.ip);
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Close your account with its code: your number, name and ID mask are erased and every session ends. Your ID number (kept only as a keyed hash) still counts toward per-person limits, and verifying it again on any number reopens this account',
  })
  @ApiNoContentResponse({ description: 'Closed: no body' })
  @AnswersErrors(...CHECK_OTP_REFUSALS, ClosingErrorCode.UnusedVouchers)
  async close(@CurrentUser() user: AuthUser, @Body() body: CloseAccountDto, @Req() request: FastifyRequest): Promise<void> {
    await this.closeAccount.execute(user, { code: body.code, giveUpVouchers: body.giveUpVouchers === true, address: request.ip, requestId: request.id });
  }
}
