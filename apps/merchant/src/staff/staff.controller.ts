import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, PublicIdPipe } from '@vouchers/http';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { OtpErrorCode } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { AddCashier } from './add-cashier.usecase';
import { DisableStaff } from './disable-staff.usecase';
import { EnableStaff } from './enable-staff.usecase';
import { AddCashierDto } from './dtos/add-cashier.dto';
import { ListStaffQuery } from './dtos/list-staff.query';
import { StaffView } from './dtos/staff.view';
import { ListStaff } from './list-staff.usecase';
import { StaffErrorCode } from './staff-errors';

/** A merchant admin's cashiers. Paths name no merchant: the token's merchant is the only scope. */
@ApiTags('merchant staff')
@Controller('v1/merchant/staff')
@Auth(Role.MerchantAdmin)
@AnswersErrors(MerchantCallerErrorCode.StaffInactive, CommonErrorCode.DatabaseUnavailable)
export class StaffController {
  constructor(
    @Inject(AddCashier) private readonly addCashier: AddCashier,
    @Inject(ListStaff) private readonly listStaff: ListStaff,
    @Inject(DisableStaff) private readonly disableStaff: DisableStaff,
    @Inject(EnableStaff) private readonly enableStaff: EnableStaff,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Add a cashier to your merchant; they sign in with their number and a one-time code' })
  @ApiCreatedResponse({ type: StaffView })
  @AnswersErrors(OtpErrorCode.InvalidPhone, StaffErrorCode.StaffNameInvalid, StaffErrorCode.StaffPhoneTaken)
  add(@CurrentUser() user: AuthUser, @Body() body: AddCashierDto, @Req() request: FastifyRequest): Promise<StaffView> {
    return this.addCashier.execute(user, body, request.id);
  }

  @Get()
  @ApiOperation({ summary: "Your merchant's staff, disabled members included, in keyset pages" })
  @ApiPageResponse(StaffView)
  list(@CurrentUser() user: AuthUser, @Query() query: ListStaffQuery): Promise<Page<StaffView>> {
    return this.listStaff.execute(user, query);
  }

  @Post(':staffId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a member of your staff (idempotent); they can no longer sign in, and their sessions end at once' })
  @ApiParam({ name: 'staffId', description: 'Public id of the staff member', format: 'uuid' })
  @ApiOkResponse({ type: StaffView })
  @AnswersErrors(StaffErrorCode.StaffNotFound, StaffErrorCode.CannotDisableSelf)
  disable(
    @CurrentUser() user: AuthUser,
    @Param('staffId', PublicIdPipe) staffId: string,
    @Req() request: FastifyRequest,
  ): Promise<StaffView> {
    return this.disableStaff.execute(user, staffId, request.id);
  }

  @Post(':staffId/enable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable a disabled member of your staff again (idempotent); they sign in again, as their sessions ended with the disabling',
  })
  @ApiParam({ name: 'staffId', description: 'Public id of the staff member', format: 'uuid' })
  @ApiOkResponse({ type: StaffView })
  @AnswersErrors(StaffErrorCode.StaffNotFound)
  enable(
    @CurrentUser() user: AuthUser,
    @Param('staffId', PublicIdPipe) staffId: string,
    @Req() request: FastifyRequest,
  ): Promise<StaffView> {
    return this.enableStaff.execute(user, staffId, request.id);
  }
}
