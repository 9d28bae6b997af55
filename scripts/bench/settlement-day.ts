import { newPublicId } from '@vouchers/common';
import { ledgerAccounts, Merchant } from '@vouchers/database';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface SettlementDaySpec {
  merchants: number;
  redemptions: number;
  businessDate: string;
  /** Face value of every voucher; the city pays half (rounded down), the merchant's district the rest. */
  faceFen?: number;
}

export interface SeededDay {
  /** Sum of the subsidy the day's redemptions owe, in fen. */
  subsidyFen: number;
  cityFen: number;
  districtFen: number;
}

const RESIDENTS = 1_000;
/** The seeded campaign's city share: half. */
const CITY_SHARE_BP = 5000;
/** Redemptions written per statement, so a day of millions is seeded in steps of bounded memory. */
const STEP = 250_000;

/**
 * Seeds one business day straight into Postgres with set-based INSERTs, as the checkout would
 * have left it: approved merchants with bank details, a campaign whose vouchers are redeemed
 * (residents × rounds keeps the per-person keys unique without a resident per voucher), the
 * day's redemptions spread evenly over the merchants, and each redemption's ledger posting.
 */
export async function seedSettlementDay(db: DataSource, spec: SettlementDaySpec): Promise<SeededDay> {
  const face = spec.faceFen ?? 1000;
  // The split as the till makes it (city_part_fen, the one rule), at the seeded campaign's share.
  const [{ cityPart }]: Array<{ cityPart: string }> = await db.query('SELECT city_part_fen($1::bigint, $2::int) AS "cityPart"', [face, CITY_SHARE_BP]);
  const cityFen = Number(cityPart);
  // Random: a public id's first characters are its time (UUIDv7), the same for seeds a minute apart.
  const tag = randomBytes(4).toString('hex');
  const merchantIds: Array<Pick<Merchant, 'id'>> = await db.query(
    `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status,
                            bank_account_name, bank_name, bank_account_cipher, bank_account_masked)
     SELECT gen_random_uuid(), upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 18)), '种子商户' || n, '种子小店' || n,
            (ARRAY['haishu','jiangbei','zhenhai','beilun','yinzhou','fenghua','yuyao','cixi','ninghai','xiangshan'])[1 + n % 10],
            (ARRAY['dining','retail','supermarket'])[1 + n % 3], '宁波市种子路' || n || '号', 'approved',
            '种子商户' || n, '宁波银行', NULL, '6222****' || lpad((n % 10000)::text, 4, '0')
       FROM generate_series(1, $1::int) AS n
     RETURNING id`,
    [spec.merchants],
  );
  const [{ id: campaignId }] = await db.query(
    `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
     VALUES ($1, $2, '{dining,retail,supermarket}', '{}', $3::bigint * $4::bigint, $5::int, 7, 10000, 'active') RETURNING id`,
    [newPublicId(), `seeded day ${tag}`, spec.redemptions, face, CITY_SHARE_BP],
  );
  const [{ id: typeId }] = await db.query(
    `INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen) VALUES ($1, $2, '种子券', $3::bigint, $3::bigint * 4) RETURNING id`,
    [newPublicId(), campaignId, face],
  );
  const rounds = Math.ceil(spec.redemptions / RESIDENTS);
  await db.query(
    `INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity)
     SELECT gen_random_uuid(), $1, $2, now() - interval '2 days', $3 FROM generate_series(1, $4::int)`,
    [campaignId, typeId, RESIDENTS, rounds],
  );
  await db.query(
    `INSERT INTO residents (public_id, phone, verified_at)
     SELECT gen_random_uuid(), 'seed-' || $1 || '-' || n, now() FROM generate_series(1, $2::int) AS n`,
    [tag, RESIDENTS],
  );
  // Voucher n belongs to resident n % RESIDENTS in round n / RESIDENTS; redemption n to merchant n % merchants.
  for (let offset = 0; offset < spec.redemptions; offset += STEP) {
    const count = Math.min(STEP, spec.redemptions - offset);
    await db.query(SEED_STEP, [campaignId, tag, offset, count, face, spec.businessDate, merchantIds.map((row) => row.id), spec.merchants, cityFen, ledgerAccounts.cityBudget, ledgerAccounts.districtBudgetPrefix, ledgerAccounts.payablePrefix]);
  }
  await db.query('ANALYZE merchants, vouchers, redemptions, ledger_entries');
  return { subsidyFen: spec.redemptions * face, cityFen: spec.redemptions * cityFen, districtFen: spec.redemptions * (face - cityFen) };
}

/**
 * One step of the seed: vouchers n = $3 … $3 + $4 - 1, their redemptions and postings; $9 the
 * city's part of each, $10-$12 the ledger's account names (ledgerAccounts).
 */
const SEED_STEP = `
  WITH r AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM rounds WHERE campaign_id = $1),
       p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM residents WHERE phone LIKE 'seed-' || $2 || '-%'),
       v AS (
         INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen,
                               status, claimed_at, expires_at, redeemed_at)
         SELECT gen_random_uuid(), $1, r.id, p.id, (n / ${RESIDENTS}) + 1, $5::bigint, $5::bigint * 4, 'redeemed',
                $6::date - interval '1 day', $6::date + interval '6 days', $6::date + interval '12 hours'
           FROM generate_series($3::int, $3::int + $4::int - 1) AS n
           JOIN r ON r.k = n / ${RESIDENTS}
           JOIN p ON p.k = n % ${RESIDENTS}
         RETURNING id, face_value_fen
       ),
       numbered AS (SELECT id, face_value_fen, $3::int + row_number() OVER (ORDER BY id) - 1 AS n FROM v),
       red AS (
         INSERT INTO redemptions (public_id, voucher_id, merchant_id, merchant_order_no, order_amount_fen, discount_fen,
                                  city_fen, district_fen, status, redeemed_at, business_date, cashier_id, code_digest)
         SELECT gen_random_uuid(), x.id, ($7::bigint[])[1 + x.n % $8::int], 'SEED-' || $2 || '-' || x.n, x.face_value_fen * 5,
                x.face_value_fen, $9::bigint, x.face_value_fen - $9::bigint, 'completed', $6::date + interval '12 hours', $6::date,
                gen_random_uuid(), lpad(to_hex(x.n), 32, '0')
           FROM numbered x
         RETURNING public_id, merchant_id, discount_fen, city_fen, district_fen
       )
  INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
  SELECT p.posting_id, leg.account, leg.debit, leg.credit, 'redemption', p.public_id
    FROM (SELECT gen_random_uuid() AS posting_id, red.*, m.public_id AS merchant_public_id, m.district
            FROM red JOIN merchants m ON m.id = red.merchant_id) p
   CROSS JOIN LATERAL (VALUES ($10::text, p.city_fen, 0::bigint),
                              ($11::text || p.district, p.district_fen, 0::bigint),
                              ($12::text || p.merchant_public_id, 0::bigint, p.discount_fen)) AS leg(account, debit, credit)
   WHERE leg.debit > 0 OR leg.credit > 0`;
