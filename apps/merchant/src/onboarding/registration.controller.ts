import { Body, Controller, Inject, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { CHECK_OTP_REFUSALS } from '@vouchers/otp';
import type { FastifyRequest } from 'fastify';
import { RegisterMerchantDto } from './dtos/register-merchant.dto';
import { RegistrationView } from './dtos/registration.view';
import { OnboardingErrorCode } from './onboarding-errors';
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
  @AnswersErrors(
    OnboardingErrorCode.CreditCodeInvalid,
    OnboardingErrorCode.BankAccountInvalid,
    OnboardingErrorCode.CoordinatesInvalid,
    OnboardingErrorCode.AdminNameInvalid,
    OnboardingErrorCode.CreditCodeTaken,
    ...CHECK_OTP_REFUSALS,
    CommonErrorCode.DatabaseUnavailable,
  )
  register(@Body() body: RegisterMerchantDto, @Req() request: FastifyRequest): Promise<RegistrationView> {
    return this.registerMerchant.execute({ ...body, clientAddress: request.ip, requestId: request.id });
  }
}
