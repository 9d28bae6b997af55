import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { CHECK_OTP_REFUSALS, OtpSentView, SEND_OTP_REFUSALS } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { SessionView } from '../dtos/session.view';
import { ResidentErrorCode } from '../resident-errors';
import { ChangePhone } from './change-phone.usecase';
import { ChangePhoneDto, SendPhoneChangeCodeDto } from './dtos/change-phone.dto';
import { PhoneChangeErrorCode } from './phone-change-errors';
import { SendPhoneChangeCode } from './send-phone-change-code.usecase';

/** The signed-in resident moves their account to a new number, while the old one still signs them in. */
@ApiTags('residents')
@Controller('v1/residents/me/phone')
@Auth(Role.Resident)
@AnswersErrors(ResidentErrorCode.ResidentNotFound, PhoneChangeErrorCode.PhoneUnchanged, CommonErrorCode.DatabaseUnavailable)
export class PhoneChangeController {
  constructor(
    @Inject(SendPhoneChangeCode) private readonly sendCode: SendPhoneChangeCode,
    @Inject(ChangePhone) private readonly changePhone: ChangePhone,
  ) {}

  @Post('otp')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a six-digit number-change code to your new number (valid 5 minutes; limits as for sign-in codes); it cannot sign anyone in',
  })
  @ApiAcceptedResponse({ type: OtpSentView })
  @AnswersErrors(...SEND_OTP_REFUSALS)
  send(@CurrentUser() user: AuthUser, @Body() body: SendPhoneChangeCodeDto, @Req() request: FastifyRequest): Promise<OtpSentView> {
    return this.sendCode.execute(user, { phone: body.phone, address: request.ip });
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Move your account (vouchers, lottery entries, real-name verification) to the new number with its code; every other session ends, and this device gets new tokens',
  })
  @ApiOkResponse({ type: SessionView })
  @AnswersErrors(...CHECK_OTP_REFUSALS, PhoneChangeErrorCode.PhoneTaken)
  change(@CurrentUser() user: AuthUser, @Body() body: ChangePhoneDto, @Req() request: FastifyRequest): Promise<SessionView> {
    return this.changePhone.execute(user, { phone: body.phone, code: body.code, address: request.ip, requestId: request.id });
  }
}
