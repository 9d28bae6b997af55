import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, PublicIdPipe } from '@vouchers/http';
import { CHECK_OTP_REFUSALS, OtpSentView, SEND_OTP_REFUSALS } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { PhoneChangeErrorCode } from '../phone-change/phone-change-errors';
import { ResidentErrorCode } from '../resident-errors';
import { DeskMovedView, ResidentAtDeskView } from './dtos/resident-at-desk.view';
import { DeskMoveDto, DeskSendCodeDto, LookUpResidentDto } from './dtos/service-desk.dto';
import { LookUpResident } from './look-up-resident.usecase';
import { MoveResidentAtDesk } from './move-resident-at-desk.usecase';
import { SendDeskCode } from './send-desk-code.usecase';
import { ServiceDeskErrorCode } from './service-desk-errors';

/** The ID number's refusals, as real-name verification gives them. */
const ID_NUMBER_REFUSALS = [
  ResidentErrorCode.IdNumberFormat,
  ResidentErrorCode.IdNumberLegacy15,
  ResidentErrorCode.IdNumberFullWidth,
  ResidentErrorCode.IdNumberWhitespace,
  ResidentErrorCode.IdNumberChecksum,
  ResidentErrorCode.IdNumberBirthDate,
  ResidentErrorCode.IdNumberRegion,
];

/**
 * The service desk (居民服务): a commerce official, city-wide or of a district, moves the account
 * of a resident who lost their old number to their new one, on the ID card the resident shows.
 */
@ApiTags('residents service desk')
@Controller('v1/admin/residents')
@Auth(Role.CommerceOfficial)
@AnswersErrors(ServiceDeskErrorCode.VerifiedResidentNotFound, CommonErrorCode.DatabaseUnavailable)
export class ServiceDeskController {
  constructor(
    @Inject(LookUpResident) private readonly lookUp: LookUpResident,
    @Inject(SendDeskCode) private readonly sendCode: SendDeskCode,
    @Inject(MoveResidentAtDesk) private readonly moveResident: MoveResidentAtDesk,
  ) {}

  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Find the real-name-verified account of an ID number, with masked facts only (audited, a miss too)',
    description:
      'The number goes in the body, never the URL (which access logs keep). It is read and hashed as real-name verification does; ' +
      'an account not verified holds no ID number and is not found. An account its holder closed answers 409 `RESIDENT_CLOSED` with ' +
      '`details.closedAt`: the holder\'s own real-name verification, on any number, reopens it. ' +
      'Every look-up is audited as `resident.lookup_by_official`.',
  })
  @ApiOkResponse({ type: ResidentAtDeskView })
  @AnswersErrors(...ID_NUMBER_REFUSALS, ServiceDeskErrorCode.ResidentClosed)
  lookup(@CurrentUser() official: AuthUser, @Body() body: LookUpResidentDto, @Req() request: FastifyRequest): Promise<ResidentAtDeskView> {
    return this.lookUp.execute(official, { idNumber: body.idNumber, requestId: request.id });
  }

  @Post(':residentId/phone/otp')
  @HttpCode(202)
  @ApiParam({ name: 'residentId', description: "The resident's public id, as the look-up answered it", format: 'uuid' })
  @ApiOperation({
    summary: "Send a number-change code to the resident's new number, for the resident to read out (the self-service change's codes and limits)",
  })
  @ApiAcceptedResponse({ type: OtpSentView })
  @AnswersErrors(...SEND_OTP_REFUSALS, PhoneChangeErrorCode.PhoneUnchanged)
  send(@CurrentUser() official: AuthUser, @Param('residentId', PublicIdPipe) residentId: string, @Body() body: DeskSendCodeDto): Promise<OtpSentView> {
    return this.sendCode.execute({ residentId, phone: body.phone, address: deskAddress(official) });
  }

  @Post(':residentId/phone')
  @HttpCode(200)
  @ApiParam({ name: 'residentId', description: "The resident's public id, as the look-up answered it", format: 'uuid' })
  @ApiOperation({
    summary: "Move the resident's account (vouchers, lottery entries, real-name verification) to the new number with its code and a reason",
    description:
      "The resident's own number change, made by the official: the same refusals (PHONE_TAKEN when the new number's account holds " +
      'something; an empty one is retired), every session of the account ends, audited as `resident.phone_change_by_official` ' +
      'with both numbers masked and the reason.',
  })
  @ApiOkResponse({ type: DeskMovedView })
  @AnswersErrors(...CHECK_OTP_REFUSALS, PhoneChangeErrorCode.PhoneUnchanged, PhoneChangeErrorCode.PhoneTaken)
  move(
    @CurrentUser() official: AuthUser,
    @Param('residentId', PublicIdPipe) residentId: string,
    @Body() body: DeskMoveDto,
    @Req() request: FastifyRequest,
  ): Promise<DeskMovedView> {
    return this.moveResident.execute(official, {
      residentId,
      phone: body.phone,
      code: body.code,
      reason: body.reason,
      address: deskAddress(official),
      requestId: request.id,
    });
  }
}

/**
 * What the per-address limits of codes count a desk's sends and checks by: the official, not
 * the office's network. A service point's officials share one address, which would hold the
 * whole desk to one address's sends an hour (and residents signing in on the office's Wi-Fi
 * would spend it too); each official is known and audited. The per-number limits still hold.
 */
function deskAddress(official: AuthUser): string {
  return `official:${official.sub}`;
}
