/**
 * Redemptions of many tills in one statement, so one round trip and one commit for them all
 * (DESIGN §6; the group commit of RedemptionWriter). Per request (its ordinality i) it reads the
 * till (merchant and cashier: active, and the token's version the row's, as requireMerchantCaller
 * checks it elsewhere), any earlier redemption with this order number and the voucher's
 * facts, flips the voucher claimed → redeemed only if every check holds, inserts the redemption
 * and posts the subsidy to the ledger. An earlier order number is looked up in redemption_keys
 * (one index probe, where redemptions, partitioned by month, would take one a month:
 * docs/partitions.md), written with every redemption by its trigger. The voucher likewise is
 * found in voucher_keys (its id and campaign), then read and flipped by (campaign, id): vouchers
 * is partitioned by campaign, and a lookup by public id alone would probe every campaign's
 * partition for each voucher, where this probes its own. The city/district split is here and only here (refunds
 * and clawbacks take back the parts stored on the redemption): the city's part is
 * city_part_fen() (a migration's SQL function: the share rounded down to the fen), the merchant's
 * district pays the rest, so the parts sum to the face value exactly. The
 * facts come back so a refusal names its reason. Two requests of one batch for one voucher or
 * one order number break a unique key and fail the statement; the writer then runs the batch's
 * requests one by one.
 *
 * Arrays, one element per request: $1 voucher, $2 resident (both from the code), $3 merchant,
 * $4 cashier (both from the token), $5 order amount, $6 order number, $7 code digest, $8 new
 * redemption id, $9 approval as the eligibility index says (null: index not loaded, Postgres
 * alone decides), $10 posting id, $14 the cashier's token version (from the token, 0 when it has
 * none). The ledger's account names, from ledgerAccounts: $11 the city's budget, $12 the prefix of
 * a district's budget, $13 the prefix of a merchant's payable.
 * The redemption comes back with the Redemption entity's property names (RedemptionRow).
 */
export const REDEEM_BATCH = `
  WITH req AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::bigint[], $6::text[], $7::text[],
                         $8::uuid[], $9::boolean[], $10::uuid[], $14::int[])
           WITH ORDINALITY AS q(voucher, resident, merchant, cashier, amount, order_no, digest, redemption_id, approved, posting_id,
                                token_version, i)
  ), till AS (
    -- A disabled cashier's row is not joined; one enabled again after this token was signed has a newer version.
    SELECT q.i, m.id, m.public_id, m.status, m.district, m.category,
           s.id IS NOT NULL AS cashier_active, COALESCE(s.token_version = q.token_version, false) AS cashier_current
      FROM req q JOIN merchants m ON m.public_id = q.merchant
      LEFT JOIN merchant_staff s ON s.merchant_id = m.id AND s.public_id = q.cashier AND s.disabled_at IS NULL
  ), earlier AS (
    SELECT DISTINCT t.i FROM till t JOIN req q ON q.i = t.i
      JOIN redemption_keys r ON r.merchant_id = t.id AND r.merchant_order_no = q.order_no
  ), facts AS (
    SELECT q.i, v.id, v.campaign_id, v.status, v.expires_at <= now() AS expired, v.face_value_fen, v.threshold_fen,
           res.public_id = q.resident AND res.closed_at IS NULL AS held, c.categories, c.districts, c.city_share_bp
      FROM req q JOIN voucher_keys vk ON vk.public_id = q.voucher
      JOIN vouchers v ON v.campaign_id = vk.campaign_id AND v.id = vk.voucher_id
      JOIN residents res ON res.id = v.resident_id JOIN campaigns c ON c.id = v.campaign_id
  ), checks AS (
    SELECT f.i, f.id, f.campaign_id, f.face_value_fen, f.city_share_bp, t.id AS merchant_id, t.public_id AS merchant_public_id, t.district, t.category,
           t.cashier_current,
           NOT EXISTS (SELECT 1 FROM earlier e WHERE e.i = f.i) AS order_no_free,
           f.held AND f.status = 'claimed' AND NOT f.expired AS voucher_ok,
           t.status = 'approved' AND COALESCE(q.approved, true) AS approved,
           t.category = ANY (f.categories) AS category_ok,
           cardinality(f.districts) = 0 OR t.district = ANY (f.districts) AS district_ok,
           q.amount >= f.threshold_fen AS threshold_ok
      FROM facts f JOIN till t ON t.i = f.i JOIN req q ON q.i = f.i
  ), flipped AS (
    UPDATE vouchers v SET status = 'redeemed', redeemed_at = now()
      FROM checks k
     WHERE v.id = k.id AND v.campaign_id = k.campaign_id AND v.status = 'claimed' AND v.expires_at > now()
       AND k.cashier_current AND k.order_no_free AND k.voucher_ok AND k.approved AND k.category_ok AND k.district_ok AND k.threshold_ok
    RETURNING v.id
  ), redeemed AS (
    INSERT INTO redemptions (public_id, voucher_id, merchant_id, merchant_order_no, order_amount_fen, discount_fen,
                             city_fen, district_fen, status, redeemed_at, business_date, cashier_id, code_digest,
                             merchant_district, merchant_category)
    SELECT q.redemption_id, k.id, k.merchant_id, q.order_no, q.amount, k.face_value_fen,
           city_part_fen(k.face_value_fen, k.city_share_bp), k.face_value_fen - city_part_fen(k.face_value_fen, k.city_share_bp),
           'completed', now(), (now() AT TIME ZONE 'Asia/Shanghai')::date, q.cashier, q.digest, k.district, k.category
      FROM flipped fl JOIN checks k ON k.id = fl.id JOIN req q ON q.i = k.i
    RETURNING public_id, merchant_order_no, order_amount_fen, discount_fen, city_fen, district_fen, status,
              redeemed_at, to_char(business_date, 'YYYY-MM-DD') AS business_date, code_digest
  ), posted AS (
    INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
    SELECT q.posting_id, leg.account, leg.debit, leg.credit, 'redemption', r.public_id
      FROM redeemed r JOIN req q ON q.redemption_id = r.public_id JOIN checks k ON k.i = q.i
     CROSS JOIN LATERAL (VALUES ($11::text, r.city_fen, 0::bigint),
                                ($12::text || k.district, r.district_fen, 0::bigint),
                                ($13::text || k.merchant_public_id, 0::bigint, r.discount_fen)) AS leg(account, debit, credit)
     WHERE leg.debit > 0 OR leg.credit > 0
  )
  SELECT q.i,
         (SELECT row_to_json(x) FROM (SELECT r.public_id AS "publicId", q.voucher AS "voucherPublicId", r.merchant_order_no AS "merchantOrderNo",
                                          r.order_amount_fen AS "orderAmountFen", r.discount_fen AS "discountFen", r.status,
                                          r.redeemed_at AS "redeemedAt", r.business_date AS "businessDate", r.code_digest AS "codeDigest"
                                     FROM redeemed r WHERE r.public_id = q.redemption_id) x) AS redeemed,
         (SELECT row_to_json(k) FROM checks k WHERE k.i = q.i) AS checks,
         (SELECT row_to_json(f) FROM (SELECT status, held FROM facts WHERE facts.i = q.i) f) AS facts,
         (SELECT row_to_json(t) FROM (SELECT cashier_active, cashier_current FROM till WHERE till.i = q.i) t) AS till
    FROM req q
   ORDER BY q.i`;
