import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import request from 'supertest';
import { bearer, tokenFor } from './tokens';

export const officialToken = () => tokenFor({ role: Role.CommerceOfficial });

export interface CampaignSpec {
  /** Left out, one with the time in it. */
  name?: string;
  quantity?: number[];
  perPersonLimit?: number;
  faceValueFen?: number;
  budgetFen?: number;
  opensAt?: Date;
  closesAt?: Date;
  thresholdFen?: number;
  categories?: string[];
  districts?: string[];
  partialRefundPolicy?: 'reverse_below_threshold' | 'keep_discount';
  returnPolicy?: 'none' | 'next_round' | 'program_budget';
  /** Hot-stock buckets of every round (stockBuckets); left out, the API's default (1). */
  stockBuckets?: number;
  /** Rounds' own windows (opensAt, closesAt) by index of quantity; spec.opensAt/closesAt otherwise. */
  windows?: Array<{ opensAt: Date; closesAt?: Date }>;
  /**
   * Fields of each round by index of quantity, over those made here: a lottery round's kind,
   * sign-up window and public value's source, its own opensAt, or a bad value to be refused.
   */
  rounds?: Array<Record<string, unknown>>;
}

export interface TestCampaign {
  id: string;
  /** Round ids, in the order of spec.quantity. */
  rounds: string[];
}

function windowOf(spec: CampaignSpec, i: number, opensAt: string, closesAt: string | undefined): { opensAt: string; closesAt?: string } {
  const own = spec.windows?.[i];
  return own ? { opensAt: own.opensAt.toISOString(), closesAt: own.closesAt?.toISOString() } : { opensAt, closesAt };
}

/** Round i: its window, quantity and hot-stock buckets, with spec.rounds[i]'s fields over them. */
function roundOf(spec: CampaignSpec, i: number, quantity: number, opensAt: string, closesAt: string | undefined): Record<string, unknown> {
  return { ...windowOf(spec, i, opensAt, closesAt), quantity, ...(spec.stockBuckets ? { stockBuckets: spec.stockBuckets } : {}), ...spec.rounds?.[i] };
}

/** The body of POST /v1/admin/campaigns for `spec`: one voucher type (满40减10 at 10 yuan unless told), its rounds by quantity. */
export function campaignBody(spec: CampaignSpec = {}): Record<string, unknown> {
  const quantities = spec.quantity ?? [100];
  const face = spec.faceValueFen ?? 1000;
  const opensAt = (spec.opensAt ?? new Date(Date.now() - 60_000)).toISOString();
  const closesAt = spec.closesAt?.toISOString();
  return {
    name: spec.name ?? `test campaign ${Date.now()}`,
    categories: spec.categories ?? ['dining'],
    districts: spec.districts ?? [],
    budgetFen: spec.budgetFen ?? quantities.reduce((sum, q) => sum + q * face, 0),
    cityShareBp: 5000,
    validityDays: 7,
    perPersonLimit: spec.perPersonLimit ?? 1,
    ...(spec.returnPolicy ? { returnPolicy: spec.returnPolicy } : { returnsToPool: false }),
    ...(spec.partialRefundPolicy ? { partialRefundPolicy: spec.partialRefundPolicy } : {}),
    voucherTypes: [{ name: '满40减10', faceValueFen: face, thresholdFen: spec.thresholdFen ?? face * 4, rounds: quantities.map((quantity, i) => roundOf(spec, i, quantity, opensAt, closesAt)) }],
  };
}

/** Creates a campaign through the officials' API, activates it, and returns its round ids. */
export async function createActiveCampaign(app: NestFastifyApplication, spec: CampaignSpec = {}): Promise<TestCampaign> {
  const token = bearer(officialToken());
  const created = await request(app.getHttpServer())
    .post('/v1/admin/campaigns')
    .set(token)
    .send(campaignBody(spec))
    .expect(201);
  const id = created.body.id as string;
  for (const to of ['scheduled', 'active']) {
    await request(app.getHttpServer()).post(`/v1/admin/campaigns/${id}/transitions`).set(token).send({ to }).expect(200);
  }
  const listing = await request(app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200);
  const campaign = listing.body.items.find((c: { id: string }) => c.id === id);
  const listed = campaign.voucherTypes[0].rounds as Array<{ id: string; quantity: number }>;
  // Rounds sharing an opening time come back in any order; match them to the spec by quantity.
  const rounds = (spec.quantity ?? [100]).map((quantity) => {
    const index = listed.findIndex((round) => round.quantity === quantity);
    return listed.splice(index, 1)[0].id;
  });
  return { id, rounds };
}

/**
 * An active campaign of one lottery round whose sign-up is open now (created an hour ahead, as
 * the officials' API requires, then opened in the database); returns the round's id.
 */
export async function createOpenLottery(app: NestFastifyApplication, db: { query: (sql: string, values: unknown[]) => Promise<unknown> }): Promise<string> {
  const token = bearer(officialToken());
  const hourAhead = Date.now() + 3_600_000;
  const created = await request(app.getHttpServer())
    .post('/v1/admin/campaigns')
    .set(token)
    .send(
      campaignBody({
        quantity: [10],
        budgetFen: 100_000,
        rounds: [
          {
            kind: 'lottery',
            opensAt: new Date(hourAhead + 3_600_000 * 3).toISOString(),
            signupOpensAt: new Date(hourAhead).toISOString(),
            signupClosesAt: new Date(hourAhead + 3_600_000).toISOString(),
            publicValueSource: '上海证券交易所公布的开奖日上证指数收盘点数',
          },
        ],
      }),
    )
    .expect(201);
  const id = created.body.id as string;
  for (const to of ['scheduled', 'active']) {
    await request(app.getHttpServer()).post(`/v1/admin/campaigns/${id}/transitions`).set(token).send({ to }).expect(200);
  }
  const rounds = (await db.query(
    `UPDATE rounds r SET signup_opens_at = now() - interval '1 minute' FROM campaigns c WHERE c.id = r.campaign_id AND c.public_id = $1 RETURNING r.public_id`,
    [id],
  )) as [Array<{ public_id: string }>, number];
  return rounds[0][0].public_id;
}
