import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import request from 'supertest';
import { bearer, tokenFor } from './tokens';

export const officialToken = () => tokenFor({ role: Role.CommerceOfficial });

export interface CampaignSpec {
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
  /** Rounds' own windows (opensAt, closesAt) by index of quantity; spec.opensAt/closesAt otherwise. */
  windows?: Array<{ opensAt: Date; closesAt?: Date }>;
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

/** Creates a campaign through the officials' API, activates it, and returns its round ids. */
export async function createActiveCampaign(app: NestFastifyApplication, spec: CampaignSpec = {}): Promise<TestCampaign> {
  const quantities = spec.quantity ?? [100];
  const face = spec.faceValueFen ?? 1000;
  const opensAt = (spec.opensAt ?? new Date(Date.now() - 60_000)).toISOString();
  const closesAt = spec.closesAt?.toISOString();
  const token = bearer(officialToken());
  const created = await request(app.getHttpServer())
    .post('/v1/admin/campaigns')
    .set(token)
    .send({
      name: `test campaign ${Date.now()}`,
      categories: spec.categories ?? ['dining'],
      districts: spec.districts ?? [],
      budgetFen: spec.budgetFen ?? quantities.reduce((sum, q) => sum + q * face, 0),
      cityShareBp: 5000,
      validityDays: 7,
      perPersonLimit: spec.perPersonLimit ?? 1,
      ...(spec.returnPolicy ? { returnPolicy: spec.returnPolicy } : { returnsToPool: false }),
      ...(spec.partialRefundPolicy ? { partialRefundPolicy: spec.partialRefundPolicy } : {}),
      voucherTypes: [{ name: '满40减10', faceValueFen: face, thresholdFen: spec.thresholdFen ?? face * 4, rounds: quantities.map((quantity, i) => ({ ...windowOf(spec, i, opensAt, closesAt), quantity })) }],
    })
    .expect(201);
  const id = created.body.id as string;
  for (const to of ['scheduled', 'active']) {
    await request(app.getHttpServer()).post(`/v1/admin/campaigns/${id}/transitions`).set(token).send({ to }).expect(200);
  }
  const listing = await request(app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200);
  const campaign = listing.body.items.find((c: { id: string }) => c.id === id);
  const listed = campaign.voucherTypes[0].rounds as Array<{ id: string; quantity: number }>;
  // Rounds sharing an opening time come back in any order; match them to the spec by quantity.
  const rounds = quantities.map((quantity) => {
    const index = listed.findIndex((round) => round.quantity === quantity);
    return listed.splice(index, 1)[0].id;
  });
  return { id, rounds };
}
