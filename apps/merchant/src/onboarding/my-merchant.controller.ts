import { Body, Controller, Get, Inject, Patch, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { BankAccountChangeErrorCode } from '../bank-account-changes/bank-account-change-errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MerchantView } from './dtos/merchant.view';
import { UpdateMerchantDto } from './dtos/update-merchant.dto';
import { GetMyMerchant } from './get-my-merchant.usecase';
import { MyMerchantView } from './dtos/my-merchant.view';
import { OnboardingErrorCode } from './onboarding-errors';
import { UpdateMyMerchant } from './update-my-merchant.usecase';

/** A merchant's own profile. The path names no merchant: the token's merchant is the only scope. */
@ApiTags('merchant onboarding')
@Controller('v1/merchant/me')
@AnswersErrors(MerchantCallerErrorCode.StaffInactive, CommonErrorCode.MerchantNotFound, CommonErrorCode.DatabaseUnavailable)
export class MyMerchantController {
  constructor(
    @Inject(GetMyMerchant) private readonly getMyMerchant: GetMyMerchant,
    @Inject(UpdateMyMerchant) private readonly updateMyMerchant: UpdateMyMerchant,
  ) {}

  @Get()
  @Auth(Role.MerchantAdmin, Role.MerchantStaff)
  @ApiOperation({ summary: 'Your merchant, with its status; the bank account masked' })
  @ApiOkResponse({ type: MyMerchantView })
  me(@CurrentUser() user: AuthUser): Promise<MyMerchantView> {
    return this.getMyMerchant.execute(user);
  }

  @Patch()
  @Auth(Role.MerchantAdmin)
  @ApiOperation({
    summary: 'Change contact, address or bank details while pending or approved (audited); an approved merchant\'s new bank account awaits review',
    description:
      'A pending merchant changes everything at once. An approved merchant\'s new bank account (any of bankAccountName, bankName, ' +
      'bankAccountNumber; the others kept from the current account) is held for a commerce official\'s review and answered 202 with ' +
      'pendingBankAccountChange; payouts go to the current account until it is approved. A later request replaces a pending one; ' +
      'asking for the current account again withdraws it. The other fields of the request are changed at once.',
  })
  @ApiOkResponse({ type: MerchantView, description: 'Changed' })
  @ApiAcceptedResponse({
    type: MerchantView,
    description: "The new bank account awaits an official's review (pendingBankAccountChange); any other fields are changed",
  })
  @AnswersErrors(
    CommonErrorCode.NothingToChange,
    OnboardingErrorCode.CoordinatesInvalid,
    OnboardingErrorCode.BankAccountInvalid,
    BankAccountChangeErrorCode.AccountIncomplete,
    OnboardingErrorCode.MerchantNotEditable,
  )
  async update(
    @CurrentUser() user: AuthUser,
    @Body() body: UpdateMerchantDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MerchantView> {
    const { merchant, bankAccountHeld } = await this.updateMyMerchant.execute(user, body, request.id);
    if (bankAccountHeld) void reply.status(202);
    return merchant;
  }
}
