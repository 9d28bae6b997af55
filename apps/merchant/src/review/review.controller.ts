import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { DecideMerchant } from './decide-merchant.usecase';
import { DecisionDto } from './decision.dto';
import { DecisionView } from './decision.view';
import { ReviewErrorCode } from './review-errors';

/** Commerce officials approve, reject, suspend and reinstate merchants; every decision is audited. */
@ApiTags('merchant review')
@Controller('v1/merchants')
@Auth(Role.CommerceOfficial)
export class ReviewController {
  constructor(@Inject(DecideMerchant) private readonly decideMerchant: DecideMerchant) {}

  @Post(':merchantId/decisions')
  @ApiOperation({ summary: 'Decide on a merchant: pending → approved | rejected, approved → suspended, suspended → approved' })
  @ApiParam({ name: 'merchantId', description: "Public id of the merchant; one outside a district official's district is MERCHANT_NOT_FOUND", format: 'uuid' })
  @ApiCreatedResponse({ type: DecisionView })
  @AnswersErrors(
    CommonErrorCode.MerchantNotFound,
    CommonErrorCode.InvalidTransition,
    ReviewErrorCode.MerchantChanged,
    CommonErrorCode.DatabaseUnavailable,
    CommonErrorCode.ServiceUnavailable,
  )
  decide(
    @CurrentUser() user: AuthUser,
    @Param('merchantId', PublicIdPipe) merchantId: string,
    @Body() dto: DecisionDto,
    @Req() request: FastifyRequest,
  ): Promise<DecisionView> {
    return this.decideMerchant.execute(user, merchantId, dto, request.id);
  }
}
