import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { CHECK_OTP_REFUSALS, OneTimeCodes, OtpSentView, SEND_OTP_REFUSALS, SendOtpDto } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { StaffSessionView } from './dtos/staff-session.view';
import { StaffSignInDto } from './dtos/staff-sign-in.dto';
import { SignInStaff } from './sign-in-staff.usecase';
import { StaffAuthErrorCode } from './staff-auth-errors';

/** Merchant admins' and cashiers' sign-in by phone and one-time code. No token needed here. */
@ApiTags('merchant sign-in')
@Controller('v1/merchant-auth')
export class StaffAuthController {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(SignInStaff) private readonly signInStaff: SignInStaff,
  ) {}

  @Post('otp')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a six-digit code by SMS, to sign in or to register a merchant (valid 5 minutes; one a minute, 10 an hour per number)',
  })
  @ApiAcceptedResponse({ type: OtpSentView })
  @ApiTooManyRequestsResponse({ description: 'OTP_COOLDOWN, OTP_PHONE_LIMIT or OTP_ADDRESS_LIMIT, with details.retryAfterSeconds' })
  @AnswersErrors(...SEND_OTP_REFUSALS)
  send(@Body() body: SendOtpDto, @Req() request: FastifyRequest): Promise<OtpSentView> {
    return this.codes.send({ phone: body.phone, address: request.ip });
  }

  @Post('otp/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in to a merchant with the code; answers a short-lived access token (no refresh token)' })
  @ApiOkResponse({ type: StaffSessionView })
  @ApiUnauthorizedResponse({ description: 'OTP_INVALID (details.triesLeft) or OTP_EXPIRED' })
  @ApiForbiddenResponse({ description: 'NO_MERCHANT_ACCESS: not on the active staff of a merchant that is not rejected' })
  @ApiConflictResponse({
    description: 'MERCHANT_CHOICE_REQUIRED, with details.merchants [{merchantId, shopName}]: send the same code again with merchantId',
  })
  @ApiTooManyRequestsResponse({ description: 'OTP_TOO_MANY_TRIES or OTP_ADDRESS_LIMIT' })
  @AnswersErrors(...CHECK_OTP_REFUSALS, StaffAuthErrorCode.MerchantChoiceRequired, StaffAuthErrorCode.NoMerchantAccess, CommonErrorCode.DatabaseUnavailable)
  verify(@Body() body: StaffSignInDto, @Req() request: FastifyRequest): Promise<StaffSessionView> {
    return this.signInStaff.execute({ phone: body.phone, code: body.code, merchantId: body.merchantId, address: request.ip });
  }
}
