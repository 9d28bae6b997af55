import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, OfficialAccessErrorCode, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, PublicIdPipe } from '@vouchers/http';
import { OfficialAccountErrorCode as Code } from '@vouchers/officials';
import { OtpErrorCode } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { ActivationIssuedView } from './dtos/activation-issued.view';
import { ChangeOfficialDto, CreateOfficialDto } from './dtos/official-account.dto';
import { OfficialView } from './dtos/official.view';
import { ListOfficialsQuery } from './list-officials.query';
import { ListOfficials } from './list-officials.usecase';
import { ManageOfficials } from './manage-officials.usecase';

/** Account administrators manage officials' accounts; every change is audited. */
@ApiTags('officials')
@Controller('v1/officials')
@Auth(Role.OfficialAdmin)
@ApiForbiddenResponse({ description: 'FORBIDDEN: not an account administrator; ACCOUNT_DISABLED' })
@AnswersErrors(OfficialAccessErrorCode.AccountDisabled, OfficialAccessErrorCode.AccessTokenRevoked, CommonErrorCode.DatabaseUnavailable)
export class OfficialsController {
  constructor(
    @Inject(ManageOfficials) private readonly officials: ManageOfficials,
    @Inject(ListOfficials) private readonly listOfficials: ListOfficials,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every account, newest first in keyset pages, by role, district (or city-wide), status or whole phone number',
    description: 'Phone numbers are masked and no credential is ever shown; an account awaiting activation says when its code stops working.',
  })
  @ApiPageResponse(OfficialView)
  @AnswersErrors(OtpErrorCode.InvalidPhone)
  list(@Query() query: ListOfficialsQuery): Promise<Page<OfficialView>> {
    return this.listOfficials.execute(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create an account; answers its one-time activation code, to hand to its holder' })
  @ApiCreatedResponse({ type: ActivationIssuedView })
  @ApiConflictResponse({ description: 'OFFICIAL_PHONE_TAKEN' })
  @ApiUnprocessableEntityResponse({ description: 'ADMINISTRATOR_CITY_WIDE' })
  @AnswersErrors(OtpErrorCode.InvalidPhone, Code.PhoneTaken, Code.AdministratorCityWide)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateOfficialDto, @Req() request: FastifyRequest): Promise<ActivationIssuedView> {
    return this.officials.create(user, body, request.id);
  }

  @Get(':officialId')
  @ApiOperation({ summary: 'One account (no credential is ever shown)' })
  @ApiOkResponse({ type: OfficialView })
  @ApiNotFoundResponse({ description: 'OFFICIAL_NOT_FOUND' })
  @AnswersErrors(Code.OfficialNotFound)
  read(@Param('officialId', PublicIdPipe) officialId: string): Promise<OfficialView> {
    return this.officials.read(officialId);
  }

  @Patch(':officialId')
  @ApiOperation({
    summary: 'Change name, role or district; a new role or district ends the account\'s sessions and live tokens',
    description: 'Only the fields sent change; a body naming none is refused (NOTHING_TO_CHANGE). Values as they are change nothing and are not audited.',
  })
  @ApiOkResponse({ type: OfficialView })
  @ApiNotFoundResponse({ description: 'OFFICIAL_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'CANNOT_CHANGE_OWN_ACCOUNT (your own role)' })
  @ApiUnprocessableEntityResponse({ description: 'ADMINISTRATOR_CITY_WIDE' })
  @AnswersErrors(CommonErrorCode.NothingToChange, Code.OfficialNotFound, Code.CannotChangeOwnAccount, Code.AdministratorCityWide)
  change(
    @CurrentUser() user: AuthUser,
    @Param('officialId', PublicIdPipe) officialId: string,
    @Body() body: ChangeOfficialDto,
    @Req() request: FastifyRequest,
  ): Promise<OfficialView> {
    return this.officials.change(user, officialId, body, request.id);
  }

  @Post(':officialId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an account (idempotent): its sessions end and its access tokens are refused at once' })
  @ApiOkResponse({ type: OfficialView })
  @ApiNotFoundResponse({ description: 'OFFICIAL_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'CANNOT_CHANGE_OWN_ACCOUNT' })
  @AnswersErrors(Code.OfficialNotFound, Code.CannotChangeOwnAccount)
  disable(@CurrentUser() user: AuthUser, @Param('officialId', PublicIdPipe) officialId: string, @Req() request: FastifyRequest): Promise<OfficialView> {
    return this.officials.disable(user, officialId, request.id);
  }

  @Post(':officialId/enable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable a disabled account again, with a new activation code: the holder sets a new password and enrols TOTP again',
    description: 'The account comes back awaiting activation, never with its old password or authenticator. An account that is not disabled is refused, unchanged.',
  })
  @ApiOkResponse({ type: ActivationIssuedView })
  @ApiNotFoundResponse({ description: 'OFFICIAL_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'CANNOT_CHANGE_OWN_ACCOUNT' })
  @ApiConflictResponse({ description: 'OFFICIAL_NOT_DISABLED' })
  @AnswersErrors(Code.OfficialNotFound, Code.CannotChangeOwnAccount, Code.OfficialNotDisabled)
  enable(@CurrentUser() user: AuthUser, @Param('officialId', PublicIdPipe) officialId: string, @Req() request: FastifyRequest): Promise<ActivationIssuedView> {
    return this.officials.enable(user, officialId, request.id);
  }

  @Post(':officialId/password-reset')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset an account: a new activation code; sessions end, and the holder must set a new password and enrol TOTP again',
  })
  @ApiOkResponse({ type: ActivationIssuedView })
  @ApiNotFoundResponse({ description: 'OFFICIAL_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'CANNOT_CHANGE_OWN_ACCOUNT' })
  @AnswersErrors(Code.OfficialNotFound, Code.CannotChangeOwnAccount, Code.OfficialDisabled)
  reset(@CurrentUser() user: AuthUser, @Param('officialId', PublicIdPipe) officialId: string, @Req() request: FastifyRequest): Promise<ActivationIssuedView> {
    return this.officials.reset(user, officialId, request.id);
  }
}
