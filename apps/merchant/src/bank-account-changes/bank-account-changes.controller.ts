import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, PublicIdPipe } from '@vouchers/http';
import { BankAccountChangeErrorCode } from './bank-account-change-errors';
import type { FastifyRequest } from 'fastify';
import { BankAccountChangeDecisionDto, ListBankAccountChangesQuery } from './bank-account-change.dto';
import { BankAccountChangeDecisionView, BankAccountChangeReviewView } from './bank-account-change.view';
import { DecideBankAccountChange } from './decide-bank-account-change.usecase';
import { ListBankAccountChanges } from './list-bank-account-changes.usecase';

/**
 * Officials' review of the bank accounts approved merchants ask for (PATCH /v1/merchant/me
 * answers 202 and holds them here): the old and new accounts masked side by side, then
 * approve or reject, audited. Until approved, payouts go to the old account.
 */
@ApiTags('merchant review')
@Controller('v1/merchants/bank-account-changes')
export class BankAccountChangesController {
  constructor(
    @Inject(ListBankAccountChanges) private readonly listChanges: ListBankAccountChanges,
    @Inject(DecideBankAccountChange) private readonly decideChange: DecideBankAccountChange,
  ) {}

  @Get()
  @Auth(Role.CommerceOfficial, Role.Auditor)
  @ApiOperation({
    summary: "Approved merchants' requested bank accounts, oldest first, each beside the merchant's current account (both masked)",
    description:
      'status=pending (the default) lists those awaiting a decision. A district official sees their own district only ' +
      "(FORBIDDEN for another district's changes).",
  })
  @ApiPageResponse(BankAccountChangeReviewView)
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  list(@CurrentUser() user: AuthUser, @Query() query: ListBankAccountChangesQuery): Promise<Page<BankAccountChangeReviewView>> {
    return this.listChanges.execute(user, query);
  }

  @Post(':changeId/decisions')
  @Auth(Role.CommerceOfficial)
  @ApiParam({ name: 'changeId', description: 'Public id of the bank account change', format: 'uuid' })
  @ApiOperation({
    summary: "Approve or reject a merchant's requested bank account (audited)",
    description:
      "approved: the account becomes the merchant's, and the next settlement build pays it (batches already built keep the " +
      'account they were built with); rejected: the current account stays. Commerce officials of the merchant\'s district or city-wide.',
  })
  @ApiCreatedResponse({ type: BankAccountChangeDecisionView })
  @AnswersErrors(
    BankAccountChangeErrorCode.ChangeNotFound,
    BankAccountChangeErrorCode.ChangeNotPending,
    CommonErrorCode.FourEyesRequired,
    CommonErrorCode.DatabaseUnavailable,
  )
  decide(
    @CurrentUser() user: AuthUser,
    @Param('changeId', PublicIdPipe) changeId: string,
    @Body() dto: BankAccountChangeDecisionDto,
    @Req() request: FastifyRequest,
  ): Promise<BankAccountChangeDecisionView> {
    return this.decideChange.execute(user, changeId, dto, request.id);
  }
}
