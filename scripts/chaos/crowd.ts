/** The fault run's data: a crowd of verified residents (as bench:grab seeds them) and one campaign per fault. */
import { JwtService } from '@nestjs/jwt';
import { newPublicId } from '@vouchers/common';
import type { Pool } from 'pg';
import { RoundUnderTest } from './checks';

const FACE_FEN = 1000;

/** Verified residents and their bearer tokens, in the same order. */
export async function seedCrowd(pg: Pool, size: number, jwtSecret: string): Promise<string[]> {
  const residents = Array.from({ length: size }, () => newPublicId());
  await pg.query(
    `INSERT INTO residents (public_id, phone, verified_at)
     SELECT id, '17' || lpad(n::text, 9, '0'), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [residents],
  );
  const jwt = new JwtService({ secret: jwtSecret, signOptions: { algorithm: 'HS256', expiresIn: '2h' } });
  return residents.map((sub) => jwt.sign({ sub, role: 'resident', rv: 1 }));
}

/** An active campaign, limit one a person, with one round of `quantity` open since a minute ago; budget for exactly that round. */
export async function seedRound(pg: Pool, quantity: number, name: string): Promise<RoundUnderTest> {
  const campaignId = newPublicId();
  const roundId = newPublicId();
  await pg.query(
    `WITH c AS (INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
                VALUES ($1, $2, '{dining}', '{}', $4::bigint * $5::bigint, 5000, 7, 1, 'active') RETURNING id),
          t AS (INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
                SELECT $6, id, '满40减10', $5, $5 * 4 FROM c RETURNING id, campaign_id)
     INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity)
     SELECT $3, campaign_id, id, now() - interval '1 minute', $4 FROM t`,
    [campaignId, name, roundId, quantity, FACE_FEN, newPublicId()],
  );
  return { campaignId, roundId, quantity, perPersonLimit: 1 };
}
