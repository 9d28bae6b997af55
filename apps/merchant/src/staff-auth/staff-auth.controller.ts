import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { CHECK_OTP_REFUSALS, OneTimeCodes, OtpSentView, SEND_OTP_REFUSALS, SendOtpDto } from '@vouchers/otp';
import { REFRESH_REFUSALS, RefreshTokenDto, Sessions } from '@vouchers/sessions';
import type { FastifyRequest } from 'fastify';
import { StaffSessionView } from './dtos/staff-session.view';
import { StaffSignInDto } from './dtos/staff-sign-in.dto';
import { RefreshStaffSession } from './refresh-staff-session.usecase';
import { SignInStaff } from './sign-in-staff.usecase';
import { StaffAuthErrorCode } from './staff-auth-errors';

/** Merchant admins' and cashiers' sign-in by phone and one-time code, and their sessions. No token needed here. */
@ApiTags('merchant sign-in')
@Controller('v1/merchant-auth')
export class StaffAuthController {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(SignInStaff) private readonly signInStaff: SignInStaff,
    @Inject(RefreshStaffSession) private readonly refreshSession: RefreshStaffSession,
    @Inject(Sessions) private readonly sessions: Sessions,
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
  @ApiOperation({ summary: 'Sign in to a merchant with the code; answers an access token and a refresh token of a shift-long session' })
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

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair; the old one stops working. Checks again that you are on the active staff of the merchant',
  })
  @ApiOkResponse({ type: StaffSessionView })
  @ApiUnauthorizedResponse({
    description: 'REFRESH_TOKEN_INVALID, REFRESH_TOKEN_EXPIRED (the shift-long session is over), or REFRESH_TOKEN_REVOKED (reuse while the session goes on: every session of the account ends)',
  })
  @ApiForbiddenResponse({
    description: 'STAFF_INACTIVE: you were disabled (every session of yours has ended); NO_MERCHANT_ACCESS: the merchant was rejected',
  })
  @AnswersErrors(
    ...REFRESH_REFUSALS,
    MerchantCallerErrorCode.StaffInactive,
    StaffAuthErrorCode.NoMerchantAccess,
    CommonErrorCode.DatabaseUnavailable,
  )
  refresh(@Body() body: RefreshTokenDto): Promise<StaffSessionView> {
    return this.refreshSession.execute(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the refresh token's session (idempotent); the access token lives on until it expires" })
  @ApiNoContentResponse({ description: 'Ended (or already unknown): no body' })
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  async signOut(@Body() body: RefreshTokenDto): Promise<void> {
    await this.sessions.end('staff', body.refreshToken);
  }
}
