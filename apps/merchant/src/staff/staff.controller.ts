import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { AddCashier } from './add-cashier.usecase';
import { DisableStaff } from './disable-staff.usecase';
import { AddCashierDto } from './dtos/add-cashier.dto';
import { ListStaffQuery } from './dtos/list-staff.query';
import { StaffView } from './dtos/staff.view';
import { ListStaff } from './list-staff.usecase';

/** A merchant admin's cashiers. Paths name no merchant: the token's merchant is the only scope. */
@ApiTags('merchant staff')
@Controller('v1/merchant/staff')
@Auth(Role.MerchantAdmin)
@ApiForbiddenResponse({ description: 'FORBIDDEN (cashiers cannot manage staff) or STAFF_INACTIVE (your account was disabled)' })
export class StaffController {
  constructor(
    @Inject(AddCashier) private readonly addCashier: AddCashier,
    @Inject(ListStaff) private readonly listStaff: ListStaff,
    @Inject(DisableStaff) private readonly disableStaff: DisableStaff,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Add a cashier to your merchant; they sign in with their number and a one-time code' })
  @ApiCreatedResponse({ type: StaffView })
  @ApiConflictResponse({ description: 'STAFF_PHONE_TAKEN' })
  add(@CurrentUser() user: AuthUser, @Body() body: AddCashierDto, @Req() request: FastifyRequest): Promise<StaffView> {
    return this.addCashier.execute(user, body, request.id);
  }

  @Get()
  @ApiOperation({ summary: "Your merchant's staff, disabled members included, in keyset pages" })
  list(@CurrentUser() user: AuthUser, @Query() query: ListStaffQuery): Promise<Page<StaffView>> {
    return this.listStaff.execute(user, query);
  }

  @Post(':staffId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a member of your staff (idempotent); they can no longer sign in, and their sessions end at once' })
  @ApiOkResponse({ type: StaffView })
  @ApiNotFoundResponse({ description: 'STAFF_NOT_FOUND: not on your staff' })
  @ApiConflictResponse({ description: 'CANNOT_DISABLE_SELF' })
  disable(
    @CurrentUser() user: AuthUser,
    @Param('staffId', PublicIdPipe) staffId: string,
    @Req() request: FastifyRequest,
  ): Promise<StaffView> {
    return this.disableStaff.execute(user, staffId, request.id);
  }
}
