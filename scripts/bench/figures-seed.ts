/**
 * The programme bench:figures reads: merchants in every district, a campaign per district and
 * one city-wide, vouchers claimed over past days, the first of them redeemed (one in twenty
 * refunded in full, one in twenty partly), seeded with set-based INSERTs of generate_series.
 * The rows go in through the figures' own statement triggers (each step is one statement per
 * table, so each trigger fires once a step, over its transition table): the running totals are
 * the triggers' work, and the recount must find them equal to the rows. Seeded redemptions get
 * no ledger postings: neither the figures nor the recount read the ledger.
 */
import { DISTRICT_CODES } from '@vouchers/common';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { log } from './bench-kit';

export interface FiguresSeedSpec {
  vouchers: number;
  redemptions: number;
  merchants: number;
  residents: number;
  /** Merchants (the first ones, every district among them) with a cashier, for the till's load. */
  tills: number;
  /** Business days claimed and redeemed on, ending with `lastDay`. */
  days: number;
  lastDay: string;
}

export const FACE_FEN = 1000;
export const THRESHOLD_FEN = 4000;
const CITY_SHARE_BP = 5000;
const CATEGORIES = ['dining', 'retail', 'supermarket'];
/** Vouchers (with their redemptions and refunds) written a statement. */
const STEP = 250_000;

/** The schema, migrated, and the seed, into the (new, empty) database at `databaseUrl`; its connections closed after. */
export async function seedFigures(databaseUrl: string, spec: FiguresSeedSpec): Promise<void> {
  const db = createDataSource(databaseUrl, 2);
  await db.initialize();
  try {
    await runMigrationsLocked(db);
    await seedRows(db, spec);
    log('seed: VACUUM ANALYZE');
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.destroy();
  }
}

async function seedRows(db: DataSource, spec: FiguresSeedSpec): Promise<void> {
  const districts = DISTRICT_CODES.length;
  const campaigns = districts + 1;
  const perCampaign = Math.ceil(spec.vouchers / campaigns);
  const rounds = Math.ceil(perCampaign / spec.residents);
  const firstDay = new Date(Date.parse(`${spec.lastDay}T00:00:00Z`) - (spec.days - 1) * 86_400_000).toISOString().slice(0, 10);
  log(`seed: ${spec.merchants} merchants, ${spec.residents} residents, ${campaigns} campaigns of ${rounds} rounds, days ${firstDay}..${spec.lastDay}`);
  await db.query(
    `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
     SELECT gen_random_uuid(), 'BF' || lpad(n::text, 16, '0'), '看板商户' || n, '看板小店' || n,
            ($2::text[])[1 + n % $3::int], ($4::text[])[1 + (n / $3::int) % 3], '宁波市看板路' || n || '号', 'approved'
       FROM generate_series(0, $1::int - 1) AS n`,
    [spec.merchants, DISTRICT_CODES, districts, CATEGORIES],
  );
  await db.query(
    `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role)
     SELECT gen_random_uuid(), id, '13' || lpad(id::text, 9, '0'), '收银员' || id, 'merchant_staff'
       FROM merchants WHERE credit_code < 'BF' || lpad($1::text, 16, '0')`,
    [spec.tills],
  );
  await db.query(
    `INSERT INTO residents (public_id, phone, verified_at)
     SELECT gen_random_uuid(), 'bf-' || n, now() FROM generate_series(1, $1::int) AS n`,
    [spec.residents],
  );
  // Campaign k < districts is of district k alone; the last is city-wide. Each of every category.
  await db.query(
    `WITH c AS (
       INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
       SELECT gen_random_uuid(), 'bench figures ' || lpad(k::text, 2, '0'), $1::text[],
              CASE WHEN k < $2::int THEN ARRAY[($3::text[])[1 + k]] ELSE '{}' END, $4::bigint * $5::bigint, $6::int, 90, $7::int, 'active'
         FROM generate_series(0, $2::int) AS k
       RETURNING id
     ), t AS (
       INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
       SELECT gen_random_uuid(), id, '满40减10', $5::bigint, $8::bigint FROM c RETURNING id, campaign_id
     )
     INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity)
     SELECT gen_random_uuid(), t.campaign_id, t.id, ($9::date - 1)::timestamp AT TIME ZONE 'Asia/Shanghai', $10::int
       FROM t CROSS JOIN generate_series(1, $7::int)`,
    [CATEGORIES, districts, DISTRICT_CODES, perCampaign, FACE_FEN, CITY_SHARE_BP, rounds, THRESHOLD_FEN, firstDay, spec.residents],
  );
  const ids = async (sql: string) => ((await db.query(sql)) as Array<{ id: string }>).map((row) => row.id);
  const campaignIds = await ids(`SELECT id FROM campaigns WHERE name LIKE 'bench figures %' ORDER BY name`);
  // Each campaign's partition of vouchers, as creating it through the API makes it (docs/partitions.md).
  for (const id of campaignIds) await db.query('SELECT ensure_campaign_partition($1::bigint)', [id]);
  const roundIds = await ids(`SELECT r.id FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.name LIKE 'bench figures %' ORDER BY c.name, r.id`);
  const residentIds = await ids(`SELECT id FROM residents WHERE phone LIKE 'bf-%' ORDER BY id`);
  const merchantIds = await ids(`SELECT id FROM merchants WHERE credit_code LIKE 'BF%' ORDER BY credit_code`);
  const [{ cityPart }] = (await db.query('SELECT city_part_fen($1::bigint, $2::int) AS "cityPart"', [FACE_FEN, CITY_SHARE_BP])) as Array<{ cityPart: string }>;
  const tag = `bf${Date.now()}`;
  for (let offset = 0; offset < spec.vouchers; offset += STEP) {
    const started = performance.now();
    const count = Math.min(STEP, spec.vouchers - offset);
    await db.transaction(async (step) => {
      await step.query(SEED_REFUNDABLE);
      await step.query(SEED_STEP, [
        offset, count, tag, campaigns, campaignIds, rounds, roundIds, spec.residents, residentIds, spec.redemptions,
        firstDay, spec.days, FACE_FEN, THRESHOLD_FEN, districts, spec.merchants, merchantIds, Number(cityPart),
      ]);
      await step.query(SEED_REFUNDS, [FACE_FEN]);
    });
    log(`seed: vouchers ${offset + count} of ${spec.vouchers} (${((performance.now() - started) / 1000).toFixed(1)} s a step)`);
  }
}

/**
 * Vouchers n = $1 … $1 + $2 - 1: campaign n mod $4, the j-th (j = n div $4) of it in round
 * j div $8 held by resident j mod $8; claimed on day j mod $12 from $11 between 10:00 and 20:00
 * (Asia/Shanghai), valid 90 days from now. Those with n < $10 are redeemed an hour after the
 * claim at a merchant of their campaign's district (merchant m is of district m mod $15); the
 * two in twenty of those SEED_REFUNDS refunds are kept in seed_refundable.
 */
const SEED_STEP = `
  WITH g AS (
    SELECT n, n % $4::int AS k, n / $4::int AS j, md5($3 || '-' || n)::uuid AS public_id,
           ((($11::date + (n / $4::int) % $12::int)::timestamp + interval '10 hours' + (n % 600) * interval '1 minute')
             AT TIME ZONE 'Asia/Shanghai') AS claimed_at
      FROM generate_series($1::int, $1::int + $2::int - 1) AS n
  ), v AS (
    INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen,
                          status, claimed_at, expires_at, redeemed_at)
    SELECT g.public_id, ($5::bigint[])[1 + g.k], ($7::bigint[])[1 + g.k * $6::int + g.j / $8::int], ($9::bigint[])[1 + g.j % $8::int],
           g.j / $8::int + 1, $13::bigint, $14::bigint, CASE WHEN g.n < $10::int THEN 'redeemed' ELSE 'claimed' END,
           g.claimed_at, now() + interval '90 days', CASE WHEN g.n < $10::int THEN g.claimed_at + interval '1 hour' END
      FROM g
    RETURNING id, public_id
  ), red AS (
    INSERT INTO redemptions (public_id, voucher_id, merchant_id, merchant_order_no, order_amount_fen, discount_fen, city_fen, district_fen,
                             status, redeemed_at, business_date, cashier_id, code_digest, refunded_amount_fen)
    SELECT gen_random_uuid(), v.id,
           ($17::bigint[])[1 + CASE WHEN g.k < $15::int THEN (g.j % ($16::int / $15::int)) * $15::int + g.k ELSE g.j % $16::int END],
           'BF-' || g.n, 5000 + (g.n % 7) * 1000, $13::bigint, $18::bigint, $13::bigint - $18::bigint,
           CASE g.n % 20 WHEN 0 THEN 'refunded' WHEN 10 THEN 'partly_refunded' ELSE 'completed' END,
           g.claimed_at + interval '1 hour', (g.claimed_at AT TIME ZONE 'Asia/Shanghai')::date, gen_random_uuid(), lpad(to_hex(g.n), 32, '0'),
           CASE g.n % 20 WHEN 0 THEN 5000 + (g.n % 7) * 1000 WHEN 10 THEN 1000 ELSE 0 END
      FROM v JOIN g ON g.public_id = v.public_id
     WHERE g.n < $10::int
    RETURNING id, merchant_id, merchant_order_no, order_amount_fen, redeemed_at, business_date, city_fen, district_fen
  )
  INSERT INTO seed_refundable
  SELECT red.* FROM red WHERE split_part(red.merchant_order_no, '-', 2)::int % 20 IN (0, 10)`;

/**
 * The redemptions a step refunds, kept for SEED_REFUNDS: a refund's foreign key names
 * redemption_keys, which the redemptions' statement trigger fills only once the statement that
 * inserted them ends, so the refunds go in by a statement of their own.
 */
const SEED_REFUNDABLE = `
  CREATE TEMP TABLE seed_refundable (id bigint, merchant_id bigint, merchant_order_no text, order_amount_fen bigint,
                                     redeemed_at timestamptz, business_date date, city_fen bigint, district_fen bigint) ON COMMIT DROP`;

/** One in twenty of a step's redemptions refunded in full half an hour later, one in twenty in part (goods only); $1 the face value. */
const SEED_REFUNDS = `
  INSERT INTO refunds (public_id, redemption_id, merchant_id, merchant_refund_no, refund_amount_fen, customer_refund_fen,
                       discount_reversed_fen, city_fen, district_fen, refunded_by, refunded_at, business_date)
  SELECT gen_random_uuid(), red.id, red.merchant_id, 'BFR-' || red.merchant_order_no,
         CASE WHEN full_refund THEN red.order_amount_fen ELSE 1000 END,
         CASE WHEN full_refund THEN red.order_amount_fen - $1::bigint ELSE 1000 END,
         CASE WHEN full_refund THEN $1::bigint ELSE 0 END,
         CASE WHEN full_refund THEN red.city_fen ELSE 0 END,
         CASE WHEN full_refund THEN red.district_fen ELSE 0 END,
         gen_random_uuid(), red.redeemed_at + interval '30 minutes', red.business_date
    FROM seed_refundable red
   CROSS JOIN LATERAL (SELECT split_part(red.merchant_order_no, '-', 2)::int % 20 = 0 AS full_refund) f`;
