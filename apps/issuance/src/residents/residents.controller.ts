import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { ConsentErrorCode } from './consents/consent-errors';
import { AgreeToNoticeDto } from './dtos/agree-to-notice.dto';
import { ResidentConsentsView } from './dtos/resident-consent.view';
import { RealNameVerifiedView, ResidentProfileView } from './dtos/resident-profile.view';
import { VerifyRealNameDto } from './dtos/verify-real-name.dto';
import { AgreeToNotice } from './profile/agree-to-notice.usecase';
import { GetMyConsents } from './profile/get-my-consents.usecase';
import { GetMyProfile } from './profile/get-my-profile.usecase';
import { VerifyRealName } from './profile/verify-real-name.usecase';
import { ResidentErrorCode } from './resident-errors';

/** The signed-in resident's own account. Paths carry no id: the token's subject is the only scope. */
@ApiTags('residents')
@Controller('v1/residents/me')
@Auth(Role.Resident)
export class ResidentsController {
  constructor(
    @Inject(GetMyProfile) private readonly getMyProfile: GetMyProfile,
    @Inject(VerifyRealName) private readonly verifyRealName: VerifyRealName,
    @Inject(GetMyConsents) private readonly getMyConsents: GetMyConsents,
    @Inject(AgreeToNotice) private readonly agreeToNotice: AgreeToNotice,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your profile, masked' })
  @ApiOkResponse({ type: ResidentProfileView })
  @AnswersErrors(ResidentErrorCode.ResidentNotFound, CommonErrorCode.DatabaseUnavailable)
  me(@CurrentUser() user: AuthUser): Promise<ResidentProfileView> {
    return this.getMyProfile.execute(user);
  }

  @Get('consents')
  @ApiOperation({ summary: 'The consents you gave (to the privacy notice at sign-in, to the handling of your name and ID number at verification): which version, and when' })
  @ApiOkResponse({ type: ResidentConsentsView })
  @AnswersErrors(ResidentErrorCode.ResidentNotFound, CommonErrorCode.DatabaseUnavailable)
  consents(@CurrentUser() user: AuthUser): Promise<ResidentConsentsView> {
    return this.getMyConsents.execute(user);
  }

  @Post('consents')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Agree to the privacy notice in force, when it changed since you signed in (recorded as a sign-in records it; again is fine)',
  })
  @ApiNoContentResponse({ description: 'Recorded (or already on record): no body' })
  @AnswersErrors(
    ConsentErrorCode.PrivacyConsentRequired,
    ConsentErrorCode.PrivacyNoticeOutdated,
    ResidentErrorCode.ResidentNotFound,
    CommonErrorCode.DatabaseUnavailable,
  )
  async agree(@CurrentUser() user: AuthUser, @Body() body: AgreeToNoticeDto): Promise<void> {
    await this.agreeToNotice.execute(user, body.privacyNotice);
  }

  @Post('real-name')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Verify your real name once; answers with an access token that lets you grab vouchers. An ID number whose account you closed reopens that account (reopened: true, with a new session on it)',
  })
  @ApiOkResponse({ type: RealNameVerifiedView })
  @AnswersErrors(
    ConsentErrorCode.SensitiveConsentRequired,
    ResidentErrorCode.RealNameInvalid,
    ResidentErrorCode.IdNumberFormat,
    ResidentErrorCode.IdNumberLegacy15,
    ResidentErrorCode.IdNumberFullWidth,
    ResidentErrorCode.IdNumberWhitespace,
    ResidentErrorCode.IdNumberRegion,
    ResidentErrorCode.IdNumberBirthDate,
    ResidentErrorCode.IdNumberChecksum,
    ResidentErrorCode.IdNumberTaken,
    ResidentErrorCode.AlreadyVerified,
    ResidentErrorCode.ResidentNotFound,
    CommonErrorCode.DatabaseUnavailable,
  )
  realName(@CurrentUser() user: AuthUser, @Body() body: VerifyRealNameDto, @Req() request: FastifyRequest): Promise<RealNameVerifiedView> {
    return this.verifyRealName.execute(user, { ...body, requestId: request.id });
  }
}
