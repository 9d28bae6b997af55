import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuthUser, BearerAuthenticator, Role } from '@vouchers/auth';
import { getSchemaPath } from '@nestjs/swagger';
import { CommonErrorCode, publicIdAsSent } from '@vouchers/common';
import { RawAnswer, RawRequest, RawRoutes } from '@vouchers/http';
import { ResidentErrorCode } from '../residents/resident-errors';
import { ClaimErrorCode } from './claim-errors';
import { ClaimVoucher, IDEMPOTENCY_KEY } from './claim-voucher.usecase';
import { GrabRateLimit } from './grab-rate-limit';
import { VoucherView } from './voucher.view';

const RESIDENTS = [Role.Resident] as const;

/**
 * `POST /v1/rounds/:roundId/claims`, the grab. A raw route (RawRoutes), served on node:http
 * below Fastify: Nest's router, guards and pipes, then Fastify's own per-request work, were
 * each a measurable share of this route's CPU under a rush (bench:grab). It checks what they
 * would: the bearer token and role (BearerAuthenticator, no database), and the round id and
 * Idempotency-Key by hand in ClaimVoucher. The token is checked before any body is read; the
 * grab takes no body, and one sent is dropped up to the limit of every route (413 beyond).
 */
@Injectable()
export class GrabRoute implements OnModuleInit {
  constructor(
    @Inject(RawRoutes) private readonly routes: RawRoutes,
    @Inject(BearerAuthenticator) private readonly bearer: BearerAuthenticator,
    @Inject(ClaimVoucher) private readonly claimVoucher: ClaimVoucher,
    @Inject(GrabRateLimit) private readonly rateLimit: GrabRateLimit,
  ) {}

  onModuleInit(): void {
    this.routes.add<AuthUser>({
      method: 'POST',
      url: '/v1/rounds/:roundId/claims',
      authenticate: (headers) => this.bearer.require(headers.authorization, RESIDENTS),
      handler: (request) => this.grab(request),
      models: [VoucherView],
      errors: [...Object.values(ClaimErrorCode), ResidentErrorCode.ResidentNotFound, CommonErrorCode.RateLimited, CommonErrorCode.DatabaseUnavailable],
      docs: {
        operationId: 'GrabRoute_grab',
        tags: ['grab'],
        summary: 'Grab a voucher in an open round',
        description:
          '201 with the new voucher once it is saved; 200 with the same voucher for a retry (same Idempotency-Key, or the ' +
          'same person and round). 409 SOLD_OUT, ALREADY_CLAIMED, ROUND_NOT_OPEN, ROUND_CLOSED, CAMPAIGN_NOT_ACTIVE, ' +
          'BUDGET_EXHAUSTED, ROUND_IS_LOTTERY; 422 IDEMPOTENCY_KEY_REUSED; 403 REAL_NAME_REQUIRED; 404 RESIDENT_NOT_FOUND (the account was closed, or ' +
          'retired by a number change, since the token was signed: nothing is taken); 429 RATE_LIMITED (more than grabLimitPerPerson in 10 s); 503 with Retry-After while stock is being recounted ' +
          '(ADMISSION_REBUILDING), a save failed (CLAIM_NOT_SAVED), the admission store does not answer (ADMISSION_UNAVAILABLE) ' +
          'or the database does not (DATABASE_UNAVAILABLE).',
        security: [{ bearer: [] }],
        parameters: [
          { name: 'roundId', in: 'path', required: true, description: 'Public id of the round, in either case', schema: { type: 'string', format: 'uuid' } },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Makes a retry safe: the same key answers with the same voucher (400 INVALID_IDEMPOTENCY_KEY off the pattern)',
            schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
          },
        ],
        responses: {
          '201': { description: 'The voucher', content: { 'application/json': { schema: { $ref: getSchemaPath(VoucherView) } } } },
          '200': {
            description: 'The voucher this person already holds from this round',
            content: { 'application/json': { schema: { $ref: getSchemaPath(VoucherView) } } },
          },
        },
      },
    });
  }

  private async grab(request: RawRequest<AuthUser>): Promise<RawAnswer> {
    const user = request.caller;
    this.rateLimit.count(user.sub);
    const key = request.headers['idempotency-key'];
    // The round id in either case, as on every route; lower case from here on (Redis keys compare text).
    const roundId = publicIdAsSent(request.params.roundId);
    const result = await this.claimVoucher.execute(user, roundId, typeof key === 'string' ? key : '');
    return { status: result.created ? 201 : 200, body: result.voucher };
  }
}
