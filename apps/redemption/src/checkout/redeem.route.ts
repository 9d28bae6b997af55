import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BearerAuthenticator, Role } from '@vouchers/auth';
import { RawRoutes } from '@vouchers/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readRedeemBody, REDEEM_BODY_SCHEMA } from './redeem-request';
import { RedeemVoucher } from './redeem-voucher.usecase';

const TILL_ROLES = [Role.MerchantStaff, Role.MerchantAdmin] as const;

/**
 * `POST /v1/redemptions`, scan-and-redeem. Like the grab, served by Fastify directly
 * (RawRoutes): the till's hottest route skips Nest's router, guards and pipes, and checks the
 * token (BearerAuthenticator) and the body (readRedeemBody) itself.
 */
@Injectable()
export class RedeemRoute implements OnModuleInit {
  constructor(
    @Inject(RawRoutes) private readonly routes: RawRoutes,
    @Inject(BearerAuthenticator) private readonly bearer: BearerAuthenticator,
    @Inject(RedeemVoucher) private readonly redeemVoucher: RedeemVoucher,
  ) {}

  onModuleInit(): void {
    this.routes.add({
      method: 'POST',
      url: '/v1/redemptions',
      handler: (request, reply) => this.redeem(request, reply),
      docs: {
        tags: ['checkout'],
        summary: "Apply a resident's voucher at the till",
        description:
          '201 with the discount once the voucher is redeemed; 200 with the first result for a retry (same order number, ' +
          'code and amount). Refusals, in the order they are checked: 400 CODE_MALFORMED, CODE_SIGNATURE_INVALID; 422 ' +
          'CODE_EXPIRED; 409 CODE_REPLAYED, CODE_SUPERSEDED, ORDER_NO_CONFLICT; 403 CASHIER_INACTIVE; 422 VOUCHER_NOT_HELD; ' +
          '409 VOUCHER_NOT_CLAIMED; 422 VOUCHER_EXPIRED; 403 MERCHANT_NOT_APPROVED; 422 CATEGORY_OUT_OF_SCOPE, ' +
          'DISTRICT_OUT_OF_SCOPE, BELOW_THRESHOLD. A code is spent by its first scan, even when that scan is refused; ' +
          '503 REDEMPTION_NOT_SAVED (the code stays good: scan it again).',
        security: [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: REDEEM_BODY_SCHEMA } } },
        responses: {
          '201': { description: 'The redemption' },
          '200': { description: 'The first result, for a retry' },
        },
      },
    });
  }

  private async redeem(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const cashier = this.bearer.require(request.headers.authorization, TILL_ROLES);
    const result = await this.redeemVoucher.execute(cashier, readRedeemBody(request.body));
    return reply.status(result.created ? 201 : 200).send(result.redemption);
  }
}
