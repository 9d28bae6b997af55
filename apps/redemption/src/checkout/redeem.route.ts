import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuthUser, BearerAuthenticator, Role } from '@vouchers/auth';
import { getSchemaPath } from '@nestjs/swagger';
import { CommonErrorCode } from '@vouchers/common';
import { RawAnswer, RawRequest, RawRoutes } from '@vouchers/http';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { CheckoutErrorCode } from './checkout-errors';
import { REDEEM_BODY_SCHEMA, RedeemRequestBody } from './redeem-request';
import { RedeemVoucher } from './redeem-voucher.usecase';
import { RedemptionView } from './redemption.view';

const TILL_ROLES = [Role.MerchantStaff, Role.MerchantAdmin] as const;
/** A redemption body is three short fields; anything near this size is not one. */
const BODY_LIMIT = 16 * 1024;

/**
 * `POST /v1/redemptions`, scan-and-redeem. Like the grab, a raw route (RawRoutes), served on
 * node:http below Fastify: the till's hottest route skips Nest's router, guards and pipes, and
 * checks the token (BearerAuthenticator, before the body is read); RawRoutes holds the body to REDEEM_BODY_SCHEMA.
 */
@Injectable()
export class RedeemRoute implements OnModuleInit {
  constructor(
    @Inject(RawRoutes) private readonly routes: RawRoutes,
    @Inject(BearerAuthenticator) private readonly bearer: BearerAuthenticator,
    @Inject(RedeemVoucher) private readonly redeemVoucher: RedeemVoucher,
  ) {}

  onModuleInit(): void {
    this.routes.add<AuthUser, RedeemRequestBody>({
      method: 'POST',
      url: '/v1/redemptions',
      body: { limit: BODY_LIMIT, schema: REDEEM_BODY_SCHEMA },
      authenticate: (headers) => this.bearer.require(headers.authorization, TILL_ROLES),
      handler: (request) => this.redeem(request),
      models: [RedemptionView],
      errors: [...Object.values(CheckoutErrorCode), MerchantCallerErrorCode.StaffInactive, CommonErrorCode.DatabaseUnavailable],
      docs: {
        operationId: 'RedeemRoute_redeem',
        tags: ['checkout'],
        summary: "Apply a resident's voucher at the till",
        description:
          '201 with the discount once the voucher is redeemed; 200 with the first result for a retry (same order number, ' +
          'code and amount). Refusals, in the order they are checked: 400 CODE_MALFORMED, CODE_SIGNATURE_INVALID; 422 ' +
          'CODE_EXPIRED; 409 CODE_REPLAYED, CODE_SUPERSEDED, ORDER_NO_CONFLICT; 403 STAFF_INACTIVE; 401 UNAUTHENTICATED (a token ' +
          'signed before the cashier was disabled and enabled again: sign in again); 422 VOUCHER_NOT_HELD; ' +
          '409 VOUCHER_NOT_CLAIMED; 422 VOUCHER_EXPIRED; 403 MERCHANT_NOT_APPROVED; 422 CATEGORY_OUT_OF_SCOPE, ' +
          'DISTRICT_OUT_OF_SCOPE, BELOW_THRESHOLD. A code is spent by its first scan; a refusal about the order or the till ' +
          '(BELOW_THRESHOLD, CATEGORY_OUT_OF_SCOPE, DISTRICT_OUT_OF_SCOPE, ORDER_NO_CONFLICT, MERCHANT_NOT_APPROVED, STAFF_INACTIVE, ' +
          'that UNAUTHENTICATED) ' +
          'gives it back, so the same code can be scanned again (with the right amount or order number, or at a till that can ' +
          'take it); any other refusal keeps it spent (CODE_REPLAYED on a second scan, the customer shows a new code); ' +
          '503 with Retry-After REDEMPTION_NOT_SAVED (the code stays good: scan it again) or DATABASE_UNAVAILABLE (send the same scan again).',
        security: [{ bearer: [] }],
        responses: {
          '201': { description: 'The redemption', content: { 'application/json': { schema: { $ref: getSchemaPath(RedemptionView) } } } },
          '200': { description: 'The first result, for a retry', content: { 'application/json': { schema: { $ref: getSchemaPath(RedemptionView) } } } },
        },
      },
    });
  }

  private async redeem(request: RawRequest<AuthUser, RedeemRequestBody>): Promise<RawAnswer> {
    const result = await this.redeemVoucher.execute(request.caller, request.body);
    return { status: result.created ? 201 : 200, body: result.redemption };
  }
}
