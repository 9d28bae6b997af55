import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { DecideMerchant } from './decide-merchant.usecase';
import { DecisionDto } from './decision.dto';
import { DecisionView } from './decision.view';

/** Commerce officials approve, reject, suspend and reinstate merchants; every decision is audited. */
@ApiTags('merchant review')
@Controller('v1/merchants')
@Auth(Role.CommerceOfficial)
export class ReviewController {
  constructor(@Inject(DecideMerchant) private readonly decideMerchant: DecideMerchant) {}

  @Post(':merchantId/decisions')
  @ApiOperation({ summary: 'Decide on a merchant: pending → approved | rejected, approved → suspended, suspended → approved' })
  @ApiCreatedResponse({ type: DecisionView })
  @ApiNotFoundResponse({ description: "MERCHANT_NOT_FOUND, also for a merchant outside a district official's district" })
  @ApiConflictResponse({ description: 'INVALID_TRANSITION, with details.from and details.to' })
  decide(
    @CurrentUser() user: AuthUser,
    @Param('merchantId', PublicIdPipe) merchantId: string,
    @Body() dto: DecisionDto,
    @Req() request: FastifyRequest,
  ): Promise<DecisionView> {
    return this.decideMerchant.execute(user, merchantId, dto, request.id);
  }
}
