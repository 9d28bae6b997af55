import { Body, Controller, Inject, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RegisterMerchantDto } from './dtos/register-merchant.dto';
import { RegistrationView } from './dtos/registration.view';
import { RegisterMerchant } from './register-merchant.usecase';

/** Self-registration of a business. No token: the one-time code proves the admin's number. */
@ApiTags('merchant onboarding')
@Controller('v1/merchant-registrations')
export class RegistrationController {
  constructor(@Inject(RegisterMerchant) private readonly registerMerchant: RegisterMerchant) {}

  @Post()
  @ApiOperation({
    summary: 'Register a merchant (pending review) and its admin; ask for the code first with POST /v1/merchant-auth/otp',
  })
  @ApiCreatedResponse({ type: RegistrationView })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, INVALID_PHONE, CREDIT_CODE_INVALID, BANK_ACCOUNT_INVALID, COORDINATES_INVALID or ADMIN_NAME_INVALID',
  })
  @ApiUnauthorizedResponse({ description: 'OTP_INVALID (details.triesLeft) or OTP_EXPIRED' })
  @ApiConflictResponse({ description: 'CREDIT_CODE_TAKEN: one merchant per credit code' })
  @ApiTooManyRequestsResponse({ description: 'OTP_TOO_MANY_TRIES or OTP_ADDRESS_LIMIT' })
  register(@Body() body: RegisterMerchantDto, @Req() request: FastifyRequest): Promise<RegistrationView> {
    return this.registerMerchant.execute({ ...body, clientAddress: request.ip, requestId: request.id });
  }
}
