/**
 * What a rush runs on and what it is checked against, in Postgres: the crowd of verified
 * residents, one campaign a run (one round, limit one voucher a person), and the invariants
 * on the rows the rush produced.
 */
import { newPublicId } from '@vouchers/common';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';

const FACE_FEN = 1000;

/** `count` verified residents; their public ids, in the order of the crowd. */
export async function seedResidents(db: DataSource, count: number): Promise<string[]> {
  const residents = Array.from({ length: count }, () => newPublicId());
  // 100,000 a statement: one array parameter of millions is slow to bind.
  for (let from = 0; from < count; from += 100_000) {
    await db.query(
      `INSERT INTO residents (public_id, phone, verified_at)
       SELECT id, '16' || lpad((n + $2)::text, 9, '0'), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [residents.slice(from, from + 100_000), from],
    );
  }
  return residents;
}

/**
 * A resident's bearer token for each resident: the HS256 JWT the platform issues (sub, role,
 * rv, iat, exp), signed here by hand. jsonwebtoken took over 200 µs a token on a busy machine,
 * minutes for a full crowd; one HMAC is a few µs.
 */
export function residentTokens(residents: string[], secret: string, lifetimeSeconds: number): string[] {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  return residents.map((sub) => {
    const payload = Buffer.from(JSON.stringify({ sub, role: 'resident', rv: 1, iat, exp: iat + lifetimeSeconds })).toString('base64url');
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  });
}

export interface RushCampaign {
  campaign: string;
  round: string;
  stock: number;
}

/** An active campaign with one open round of `stock` vouchers in `buckets` stock buckets, limit one a person. */
export async function createRushCampaign(db: DataSource, stock: number, buckets: number): Promise<RushCampaign> {
  const campaign = newPublicId();
  const round = newPublicId();
  await db.query(
    `WITH c AS (INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
                VALUES ($1, 'bench rush', '{dining}', '{}', $3::bigint * $4::bigint, 5000, 7, 1, 'active') RETURNING id),
          t AS (INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
                SELECT $5, id, '满40减10', $4, $4 * 4 FROM c RETURNING id, campaign_id)
     INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity, stock_buckets)
     SELECT $2, campaign_id, id, now() - interval '1 minute', $3, $6 FROM t`,
    [campaign, round, stock, FACE_FEN, newPublicId(), buckets],
  );
  return { campaign, round, stock };
}

export interface RushInvariants {
  /** Vouchers in Postgres. */
  rows: number;
  /** Rows beyond the round's quantity, plus one when the face value passes the budget. */
  oversold: number;
  /** Vouchers beyond the limit of one a person, over all people. */
  overLimit: number;
  /** Success answers whose voucher is not in Postgres. */
  ackedMissing: number;
}

export async function checkInvariants(db: DataSource, campaign: RushCampaign, acked: Iterable<string>): Promise<RushInvariants> {
  const [{ rows, quantity, over_budget, over_limit }] = await db.query(
    `SELECT (SELECT count(*)::int FROM vouchers v WHERE v.campaign_id = c.id) AS rows,
            (SELECT sum(r.quantity)::int FROM rounds r WHERE r.campaign_id = c.id) AS quantity,
            GREATEST(0, (SELECT COALESCE(sum(v.face_value_fen), 0) FROM vouchers v WHERE v.campaign_id = c.id) - c.budget_fen)::bigint AS over_budget,
            (SELECT COALESCE(sum(held - c.per_person_limit), 0)::int
               FROM (SELECT count(*) AS held FROM vouchers v WHERE v.campaign_id = c.id GROUP BY v.resident_id) p
              WHERE held > c.per_person_limit) AS over_limit
       FROM campaigns c WHERE c.public_id = $1`,
    [campaign.campaign],
  );
  const ids = [...acked];
  let found = 0;
  for (let from = 0; from < ids.length; from += 100_000) {
    const [row] = await db.query('SELECT count(*)::int AS found FROM vouchers WHERE public_id = ANY($1::uuid[])', [ids.slice(from, from + 100_000)]);
    found += row.found as number;
  }
  return {
    rows,
    oversold: Math.max(0, rows - quantity) + (Number(over_budget) > 0 ? 1 : 0),
    overLimit: over_limit,
    ackedMissing: ids.length - found,
  };
}
