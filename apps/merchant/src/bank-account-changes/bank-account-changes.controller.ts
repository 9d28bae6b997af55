import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { PublicIdPipe } from '@vouchers/http';
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
@ApiExtraModels(BankAccountChangeReviewView)
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
    description: 'status=pending (the default) lists those awaiting a decision. A district official sees their own district only.',
  })
  @ApiOkResponse({
    schema: {
      properties: {
        items: { type: 'array', items: { $ref: getSchemaPath(BankAccountChangeReviewView) } },
        nextCursor: { type: 'string', nullable: true },
      },
    },
  })
  @ApiForbiddenResponse({ description: "FORBIDDEN: a district official asked for another district's changes" })
  list(@CurrentUser() user: AuthUser, @Query() query: ListBankAccountChangesQuery): Promise<Page<BankAccountChangeReviewView>> {
    return this.listChanges.execute(user, query);
  }

  @Post(':changeId/decisions')
  @Auth(Role.CommerceOfficial)
  @ApiParam({ name: 'changeId', description: 'Public id of the bank account change' })
  @ApiOperation({
    summary: "Approve or reject a merchant's requested bank account (audited)",
    description:
      "approved: the account becomes the merchant's, and the next settlement build pays it (batches already built keep the " +
      'account they were built with); rejected: the current account stays. Commerce officials of the merchant\'s district or city-wide.',
  })
  @ApiCreatedResponse({ type: BankAccountChangeDecisionView })
  @ApiNotFoundResponse({ description: "BANK_ACCOUNT_CHANGE_NOT_FOUND, also for a merchant outside a district official's district" })
  @ApiConflictResponse({ description: 'BANK_ACCOUNT_CHANGE_NOT_PENDING (already approved, rejected or withdrawn), with details.status' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN (role), or FOUR_EYES_REQUIRED (whoever asked cannot decide)' })
  decide(
    @CurrentUser() user: AuthUser,
    @Param('changeId', PublicIdPipe) changeId: string,
    @Body() dto: BankAccountChangeDecisionDto,
    @Req() request: FastifyRequest,
  ): Promise<BankAccountChangeDecisionView> {
    return this.decideChange.execute(user, changeId, dto, request.id);
  }
}
