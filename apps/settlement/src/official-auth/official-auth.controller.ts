import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, OFFICIAL_ROLES, OfficialAccessErrorCode } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { PasswordErrorCode } from '@vouchers/officials';
import { OtpErrorCode } from '@vouchers/otp';
import { REFRESH_REFUSALS, RefreshTokenDto, Sessions } from '@vouchers/sessions';
import type { FastifyRequest } from 'fastify';
import { ActivateOfficial } from './activate-official.usecase';
import { ChangeOfficialPassword } from './change-password.usecase';
import { ActivationConfirmDto, ActivationDto, ChangePasswordDto, OfficialSignInDto } from './dtos/official-credentials.dto';
import { OfficialSessionView } from './dtos/official-session.view';
import { TotpEnrolmentView } from './dtos/totp-enrolment.view';
import { OfficialAuthErrorCode as Code } from './official-auth-errors';
import { RefreshOfficialSession } from './refresh-official-session.usecase';
import { SignInOfficial } from './sign-in-official.usecase';

const PASSWORD_REFUSALS = Object.values(PasswordErrorCode);
const { AccountDisabled } = OfficialAccessErrorCode;
const { DatabaseUnavailable, ServiceUnavailable } = CommonErrorCode;

const LOCKED = {
  status: 423,
  description:
    'ACCOUNT_LOCKED: five failed attempts at this number from this address (fifty from all addresses, thirty from this address over all numbers) in 15 minutes, or, told only to the right credentials, the account locked by five wrong TOTP codes; details.retryAfterSeconds (Retry-After)',
};
const PASSWORD_RULES =
  'PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG, PASSWORD_TOO_COMMON, PASSWORD_CONTAINS_PHONE, PASSWORD_TOO_WEAK or PASSWORD_UNCHANGED';

/**
 * Officials' sign-in (password and TOTP), activation of new and reset accounts, sessions and
 * password change. The tokens it issues are read by all four apps (libs/auth).
 */
@ApiTags('official sign-in')
@Controller('v1/official-auth')
export class OfficialAuthController {
  constructor(
    @Inject(SignInOfficial) private readonly signIn: SignInOfficial,
    @Inject(ActivateOfficial) private readonly activation: ActivateOfficial,
    @Inject(RefreshOfficialSession) private readonly refreshSession: RefreshOfficialSession,
    @Inject(ChangeOfficialPassword) private readonly changePassword: ChangeOfficialPassword,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with phone, password and TOTP code; answers an access token and a refresh token' })
  @ApiOkResponse({ type: OfficialSessionView })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS (details.attemptsLeft), INVALID_PHONE' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED; PASSWORD_CHANGE_REQUIRED: reset, activate again with the new code' })
  @ApiResponse(LOCKED)
  @AnswersErrors(
    OtpErrorCode.InvalidPhone,
    Code.InvalidCredentials,
    Code.AccountLocked,
    Code.PasswordChangeRequired,
    AccountDisabled,
    DatabaseUnavailable,
    ServiceUnavailable,
  )
  signInOfficial(@Body() body: OfficialSignInDto, @Req() request: FastifyRequest): Promise<OfficialSessionView> {
    return this.signIn.execute({ ...body, address: request.ip, requestId: request.id });
  }

  @Post('activation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate a new or reset account, step 1: the activation code and a new password; answers the TOTP enrolment (otpauth:// URI and QR code)',
  })
  @ApiOkResponse({ type: TotpEnrolmentView })
  @ApiUnauthorizedResponse({ description: 'ACTIVATION_CODE_INVALID (details.attemptsLeft)' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED' })
  @ApiConflictResponse({ description: 'ACTIVATION_CHANGED: another step of it finished meanwhile (a second click); nothing done' })
  @ApiUnprocessableEntityResponse({ description: PASSWORD_RULES })
  @ApiResponse(LOCKED)
  @AnswersErrors(
    OtpErrorCode.InvalidPhone,
    Code.ActivationCodeInvalid,
    Code.AccountLocked,
    Code.ActivationChanged,
    AccountDisabled,
    ...PASSWORD_REFUSALS,
    DatabaseUnavailable,
    ServiceUnavailable,
  )
  enrol(@Body() body: ActivationDto, @Req() request: FastifyRequest): Promise<TotpEnrolmentView> {
    return this.activation.enrol({ ...body, address: request.ip });
  }

  @Post('activation/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate, step 2: a code from the enrolled authenticator; ends the activation and signs you in' })
  @ApiOkResponse({ type: OfficialSessionView })
  @ApiUnauthorizedResponse({ description: 'ACTIVATION_CODE_INVALID, or INVALID_CREDENTIALS for a wrong TOTP code (details.attemptsLeft both)' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED' })
  @ApiConflictResponse({ description: 'TOTP_NOT_ENROLLED: do step 1 first; ACTIVATION_CHANGED: another step of it finished meanwhile; nothing done' })
  @ApiResponse(LOCKED)
  @AnswersErrors(
    OtpErrorCode.InvalidPhone,
    Code.ActivationCodeInvalid,
    Code.InvalidCredentials,
    Code.AccountLocked,
    Code.TotpNotEnrolled,
    Code.ActivationChanged,
    AccountDisabled,
    DatabaseUnavailable,
    ServiceUnavailable,
  )
  confirm(@Body() body: ActivationConfirmDto, @Req() request: FastifyRequest): Promise<OfficialSessionView> {
    return this.activation.confirm({ ...body, address: request.ip }, request.id);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair; the old one stops working. Reads the account again' })
  @ApiOkResponse({ type: OfficialSessionView })
  @ApiUnauthorizedResponse({ description: 'REFRESH_TOKEN_INVALID, REFRESH_TOKEN_EXPIRED, REFRESH_TOKEN_REVOKED (reuse while the session goes on ends every session)' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED (every session of the account has ended)' })
  @AnswersErrors(
    ...REFRESH_REFUSALS,
    AccountDisabled,
    DatabaseUnavailable,
  )
  refresh(@Body() body: RefreshTokenDto): Promise<OfficialSessionView> {
    return this.refreshSession.execute(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the refresh token's session (idempotent): its access tokens are refused from then on, in every app" })
  @ApiNoContentResponse()
  @AnswersErrors(DatabaseUnavailable)
  async signOut(@Body() body: RefreshTokenDto): Promise<void> {
    await this.sessions.end('official', body.refreshToken);
  }

  @Post('password')
  @Auth(...OFFICIAL_ROLES)
  @ApiOperation({
    summary: 'Change your password (current password and a TOTP code); every other session ends; answers a new session',
  })
  @ApiCreatedResponse({ type: OfficialSessionView })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS (details.attemptsLeft), ACCESS_TOKEN_REVOKED' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED' })
  @ApiUnprocessableEntityResponse({ description: PASSWORD_RULES })
  @ApiResponse(LOCKED)
  @AnswersErrors(
    Code.InvalidCredentials,
    Code.AccountLocked,
    ...PASSWORD_REFUSALS,
    OfficialAccessErrorCode.AccessTokenRevoked,
    AccountDisabled,
    DatabaseUnavailable,
  )
  change(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto, @Req() request: FastifyRequest): Promise<OfficialSessionView> {
    return this.changePassword.execute(user, body, request.id);
  }
}
