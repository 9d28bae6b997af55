import { newPublicId } from '@vouchers/common';
import { ledgerAccounts } from '@vouchers/database';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { REDEEM_BATCH } from '../apps/redemption/src/checkout/redeem.sql';
import { openTestDatabase } from './support/database';
import { newCreditCode, randomPhoneStarting } from './support/merchant-accounts';
import { createVerifiedResidents } from './support/residents';

const CASES = 10_000;
const CAMPAIGNS = 100;
const BATCH = 64;
/** The shares that sit at the edges of the rule, beside random ones. */
const EDGE_SHARES = [0, 1, 3333, 5000, 6667, 9999, 10_000];

/** JSON with the keys of every object sorted, so that two equal values compare equal as text. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );

/**
 * The city/district split is written once, in the till's REDEEM_BATCH (refunds and clawbacks take
 * back the parts stored on the redemption). This runs that statement itself over 10,000 random
 * face values and city shares and holds each redemption, and its ledger posting, to the rule:
 * the city's share rounded down to the fen, the district the rest.
 */
describe("the till's city/district split", () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('rounds the city share down and gives the district the rest, on 10,000 random cases', async () => {
    const district = 'haishu';
    const merchantId = newPublicId();
    const cashierId = newPublicId();
    await db.query(
      `WITH m AS (INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
                  VALUES ($1, $2, '拆分测试有限公司', '拆分小馆', $3, 'dining', '宁波市测试路2号', 'approved') RETURNING id)
       INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role) SELECT $4, id, $5, '收银员', 'merchant_staff' FROM m`,
      [merchantId, newCreditCode(), district, cashierId, randomPhoneStarting('16')],
    );
    const [resident] = await createVerifiedResidents(db, 1);
    const shares = Array.from({ length: CAMPAIGNS }, (_, i) => EDGE_SHARES[i] ?? randomInt(0, 10_001));
    const campaigns: Array<{ id: string; city_share_bp: number }> = await db.query(
      `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
       SELECT gen_random_uuid(), 'split ' || n, '{dining}', '{}', 0, bp, 7, $2::int, 'active'
         FROM unnest($1::int[]) WITH ORDINALITY AS t(bp, n)
       RETURNING id, city_share_bp`,
      [shares, CASES],
    );
    // Face values from 1 fen to 1,000,000 yuan, a tenth of them below 100 fen where rounding shows most.
    const faces = Array.from({ length: CASES }, (_, i) => (i % 10 === 0 ? randomInt(1, 100) : randomInt(1, 100_000_001)));
    const campaignOf = faces.map(() => campaigns[randomInt(0, CAMPAIGNS)]);
    const vouchers = faces.map(() => newPublicId());
    // Rounds are not read by the till; each voucher gets one of its own that no row holds.
    await db.query(
      `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, status, claimed_at, expires_at)
       SELECT v.id, v.campaign, -v.n, r.id, v.n, v.face, 0, 'claimed', now(), now() + interval '1 day'
         FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS v(id, campaign, face, n)
        CROSS JOIN residents r WHERE r.public_id = $4`,
      [vouchers, campaignOf.map((campaign) => campaign.id), faces, resident.id],
    );

    const redemptions = vouchers.map(() => newPublicId());
    const postings = vouchers.map(() => newPublicId());
    const outcomes: Array<{ redeemed: unknown }> = [];
    // In batches of the writer's size (BATCH_MAX): the statement is written for a few dozen requests.
    for (let start = 0; start < CASES; start += BATCH) {
      const part = (values: unknown[]) => values.slice(start, start + BATCH);
      const each = (value: unknown) => part(vouchers).map(() => value);
      outcomes.push(
        ...(await db.query(REDEEM_BATCH, [
          part(vouchers),
          each(resident.id),
          each(merchantId),
          each(cashierId),
          part(faces),
          part(vouchers.map((_, i) => `SPLIT-${i}-${process.pid}`)),
          each('0'.repeat(32)),
          part(redemptions),
          each(null),
          part(postings),
          ledgerAccounts.cityBudget,
          ledgerAccounts.districtBudgetPrefix,
          ledgerAccounts.payablePrefix,
          each(0),
        ])),
      );
    }
    expect(outcomes.filter((outcome) => outcome.redeemed === null)).toEqual([]);

    const rows: Array<{ public_id: string; discount_fen: string; city_fen: string; district_fen: string }> = await db.query(
      'SELECT public_id, discount_fen, city_fen, district_fen FROM redemptions WHERE public_id = ANY ($1::uuid[])',
      [redemptions],
    );
    const legs = new Map<string, Record<string, number>>();
    const entries: Array<{ ref_id: string; account: string; net: string }> = await db.query(
      `SELECT ref_id, account, debit_fen - credit_fen AS net FROM ledger_entries WHERE posting_id = ANY ($1::uuid[]) AND ref_type = 'redemption'`,
      [postings],
    );
    for (const entry of entries) legs.set(entry.ref_id, { ...legs.get(entry.ref_id), [entry.account]: Number(entry.net) });
    const byId = new Map(rows.map((row) => [row.public_id, row]));
    const wrong: unknown[] = [];
    redemptions.forEach((id, i) => {
      const face = faces[i];
      const share = campaignOf[i].city_share_bp;
      const city = Number((BigInt(face) * BigInt(share)) / 10_000n);
      const expected = {
        discount: face,
        city,
        district: face - city,
        legs: Object.fromEntries(
          [
            [ledgerAccounts.cityBudget, city],
            [ledgerAccounts.districtBudget(district), face - city],
            [ledgerAccounts.payable(merchantId), -face],
          ].filter(([, fen]) => fen !== 0),
        ),
      };
      const row = byId.get(id);
      const actual = row && { discount: Number(row.discount_fen), city: Number(row.city_fen), district: Number(row.district_fen), legs: legs.get(id) };
      if (canonical(actual) !== canonical(expected) && wrong.length < 5) wrong.push({ face, share, expected, actual });
    });
    expect(wrong).toEqual([]);
    // The edges were drawn: a share of 0 and one of 10,000 (a posting without a district or a city leg).
    expect(campaignOf.some((campaign) => campaign.city_share_bp === 0) && campaignOf.some((campaign) => campaign.city_share_bp === 10_000)).toBe(true);
  }, 60_000);
});
