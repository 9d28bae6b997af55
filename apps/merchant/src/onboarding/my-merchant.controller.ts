import { Body, Controller, Get, Inject, Patch, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import type { FastifyRequest } from 'fastify';
import { MerchantView } from './dtos/merchant.view';
import { UpdateMerchantDto } from './dtos/update-merchant.dto';
import { GetMyMerchant } from './get-my-merchant.usecase';
import { UpdateMyMerchant } from './update-my-merchant.usecase';

/** A merchant's own profile. The path names no merchant: the token's merchant is the only scope. */
@ApiTags('merchant onboarding')
@Controller('v1/merchant/me')
@ApiForbiddenResponse({ description: 'FORBIDDEN (role) or STAFF_INACTIVE (your account was disabled)' })
export class MyMerchantController {
  constructor(
    @Inject(GetMyMerchant) private readonly getMyMerchant: GetMyMerchant,
    @Inject(UpdateMyMerchant) private readonly updateMyMerchant: UpdateMyMerchant,
  ) {}

  @Get()
  @Auth(Role.MerchantAdmin, Role.MerchantStaff)
  @ApiOperation({ summary: 'Your merchant, with its status; the bank account masked' })
  @ApiOkResponse({ type: MerchantView })
  me(@CurrentUser() user: AuthUser): Promise<MerchantView> {
    return this.getMyMerchant.execute(user);
  }

  @Patch()
  @Auth(Role.MerchantAdmin)
  @ApiOperation({ summary: 'Change contact, address or bank details while pending or approved (audited)' })
  @ApiOkResponse({ type: MerchantView })
  @ApiConflictResponse({ description: 'MERCHANT_NOT_EDITABLE (rejected or suspended), with details.status' })
  update(@CurrentUser() user: AuthUser, @Body() body: UpdateMerchantDto, @Req() request: FastifyRequest): Promise<MerchantView> {
    return this.updateMyMerchant.execute(user, body, request.id);
  }
}
