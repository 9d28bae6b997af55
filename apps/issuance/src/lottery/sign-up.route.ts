import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuthUser, BearerAuthenticator, Role } from '@vouchers/auth';
import { getSchemaPath } from '@nestjs/swagger';
import { CommonErrorCode } from '@vouchers/common';
import { PublicIdPipe, RawAnswer, RawRequest, RawRoutes } from '@vouchers/http';
import { ClaimErrorCode } from '../claims/claim-errors';
import { ResidentErrorCode } from '../residents/resident-errors';
import { LotteryErrorCode } from './lottery-errors';
import { EntryView } from './lottery.views';
import { SignUp } from './sign-up.usecase';

const RESIDENTS = [Role.Resident] as const;
const ROUND_ID = { type: 'param', data: 'roundId' } as const;

/**
 * `POST /v1/rounds/:roundId/entries`, the lottery sign-up. Like the grab, a raw route
 * (RawRoutes), served on node:http below Fastify: a sign-up's own work is one share of a batched
 * statement, so Nest's router, guards and pipes and Fastify's per-request work were most of its
 * CPU at a rush (bench:lottery). It checks what they checked: the bearer token and role
 * (BearerAuthenticator, before any body is read), then the round id with the PublicIdPipe it had
 * (400 MALFORMED_REQUEST). It takes no body; one sent is dropped up to the limit of
 * every route (413 beyond). Signing up again answers the same entry, 200 each time.
 */
@Injectable()
export class SignUpRoute implements OnModuleInit {
  private readonly roundIdPipe = new PublicIdPipe();

  constructor(
    @Inject(RawRoutes) private readonly routes: RawRoutes,
    @Inject(BearerAuthenticator) private readonly bearer: BearerAuthenticator,
    @Inject(SignUp) private readonly signUp: SignUp,
  ) {}

  onModuleInit(): void {
    this.routes.add<AuthUser>({
      method: 'POST',
      url: '/v1/rounds/:roundId/entries',
      authenticate: (headers) => this.bearer.require(headers.authorization, RESIDENTS),
      handler: (request) => this.enter(request),
      models: [EntryView],
      errors: [
        ClaimErrorCode.RoundNotFound,
        LotteryErrorCode.NotALottery,
        CommonErrorCode.DatabaseUnavailable,
        ClaimErrorCode.RealNameRequired,
        ClaimErrorCode.CampaignNotActive,
        LotteryErrorCode.SignupNotOpen,
        LotteryErrorCode.SignupClosed,
        ResidentErrorCode.ResidentNotFound,
      ],
      docs: {
        operationId: 'SignUpRoute_signUp',
        tags: ['lottery'],
        summary: 'Sign up for a lottery round: one tap, real name verified; signing up again is the same entry',
        description: 'Open from signupOpensAt until signupClosesAt while the campaign is active.',
        security: [{ bearer: [] }],
        parameters: [
          { name: 'roundId', in: 'path', required: true, description: 'Public id of the lottery round (either case)', schema: { type: 'string', format: 'uuid' } },
        ],
        responses: {
          '200': { description: 'Your entry', content: { 'application/json': { schema: { $ref: getSchemaPath(EntryView) } } } },
        },
      },
    });
  }

  private async enter(request: RawRequest<AuthUser>): Promise<RawAnswer> {
    // The pipe the Nest route ran: 400 MALFORMED_REQUEST for no UUID, else the id in lower case (caches compare text).
    const roundId = await this.roundIdPipe.transform(request.params.roundId, ROUND_ID);
    return { status: 200, body: await this.signUp.execute(request.caller, roundId) };
  }
}
