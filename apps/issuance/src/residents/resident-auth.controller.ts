import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { CHECK_OTP_REFUSALS, OneTimeCodes, OtpSentView, SEND_OTP_REFUSALS } from '@vouchers/otp';
import { REFRESH_REFUSALS, RefreshTokenDto, Sessions } from '@vouchers/sessions';
import type { FastifyRequest } from 'fastify';
import { ConsentErrorCode } from './consents/consent-errors';
import { requireCurrentNotice } from './consents/privacy-notice';
import { ResidentSendCodeDto, ResidentSignInDto } from './dtos/resident-sign-in.dto';
import { SessionView } from './dtos/session.view';
import { VerifyOtp } from './otp/verify-otp.usecase';
import { RefreshSession } from './sessions/refresh-session.usecase';

/** Residents' sign-in by phone and one-time code, and their sessions. No token needed here. */
@ApiTags('sign-in')
@Controller('v1/auth')
export class ResidentAuthController {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(VerifyOtp) private readonly verifyOtp: VerifyOtp,
    @Inject(RefreshSession) private readonly refreshSession: RefreshSession,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  @Post('otp')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a six-digit sign-in code by SMS (valid 5 minutes; one a minute, 10 an hour per number), once the privacy notice is agreed to',
    description:
      'The number is personal information: it goes to the SMS gateway only with the version of the privacy notice the resident agreed to ' +
      '(`privacyNotice`), checked before anything is sent or counted. The consent is recorded with the sign-in that follows.',
  })
  @ApiAcceptedResponse({ type: OtpSentView })
  @ApiTooManyRequestsResponse({ description: 'OTP_COOLDOWN, OTP_PHONE_LIMIT or OTP_ADDRESS_LIMIT, with details.retryAfterSeconds' })
  @AnswersErrors(...SEND_OTP_REFUSALS, ConsentErrorCode.PrivacyConsentRequired, ConsentErrorCode.PrivacyNoticeOutdated)
  send(@Body() body: ResidentSendCodeDto, @Req() request: FastifyRequest): Promise<OtpSentView> {
    requireCurrentNotice(body.privacyNotice);
    return this.codes.send({ phone: body.phone, address: request.ip });
  }

  @Post('otp/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with the code and the privacy notice version agreed to (recorded); the first sign-in of a number creates the resident' })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'OTP_INVALID (details.triesLeft) or OTP_EXPIRED' })
  @ApiTooManyRequestsResponse({ description: 'OTP_TOO_MANY_TRIES: the code is burned after 5 wrong tries' })
  @AnswersErrors(...CHECK_OTP_REFUSALS, ConsentErrorCode.PrivacyConsentRequired, ConsentErrorCode.PrivacyNoticeOutdated, CommonErrorCode.DatabaseUnavailable)
  verify(@Body() body: ResidentSignInDto, @Req() request: FastifyRequest): Promise<SessionView> {
    return this.verifyOtp.execute({ phone: body.phone, code: body.code, address: request.ip, privacyNotice: body.privacyNotice });
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair; the old one stops working' })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({
    description: 'REFRESH_TOKEN_INVALID, REFRESH_TOKEN_EXPIRED, or REFRESH_TOKEN_REVOKED (reuse while the session goes on: every session of the resident ends)',
  })
  @AnswersErrors(
    ...REFRESH_REFUSALS,
    CommonErrorCode.DatabaseUnavailable,
  )
  refresh(@Body() body: RefreshTokenDto): Promise<SessionView> {
    return this.refreshSession.execute(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the refresh token's session (idempotent); the access token lives on until it expires" })
  @ApiNoContentResponse({ description: 'Ended (or already unknown): no body' })
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  async signOut(@Body() body: RefreshTokenDto): Promise<void> {
    await this.sessions.end('resident', body.refreshToken);
  }
}
