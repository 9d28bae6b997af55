/**
 * The demo day's vouchers and redemptions (scripts/demo/demo-day.ts): the rows the grab and the
 * till would have written on a day that has ended, at the moments given, since both real paths
 * stamp now(). Each statement keeps its path's rules; the split is the till's, city_part_fen().
 */

/**
 * Claims, as the claim writer inserts them (INSERT_CLAIMS): the voucher's face value and
 * threshold from its round's type, status claimed, the claim's moment and expiry as given.
 *
 * $1 campaign id; one element per claim: $2 voucher public ids, $3 round ids, $4 resident
 * public ids, $5 person slots, $6 claimed at, $7 expires at. Returns the public id of each voucher written.
 */
export const INSERT_DAY_CLAIMS = `
  INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, status, claimed_at, expires_at)
  SELECT c.public_id, $1::bigint, c.round_id, res.id, c.slot, t.face_value_fen, t.threshold_fen, 'claimed', c.claimed_at, c.expires_at
    FROM unnest($2::uuid[], $3::bigint[], $4::uuid[], $5::smallint[], $6::timestamptz[], $7::timestamptz[])
         AS c(public_id, round_id, resident_public_id, slot, claimed_at, expires_at)
    JOIN residents res ON res.public_id = c.resident_public_id
    JOIN rounds r ON r.id = c.round_id AND r.campaign_id = $1::bigint
    JOIN voucher_types t ON t.id = r.voucher_type_id
  RETURNING public_id`;

/**
 * Redemptions, as the till's statement writes them (REDEEM_BATCH), each at its own moment:
 * only if the cashier is active, the merchant approved and in the campaign's scope, the voucher
 * claimed and unexpired then, and the order reaches the threshold; the voucher flips claimed →
 * redeemed, the redemption carries the campaign's split (city_part_fen, the district the rest)
 * and the Asia/Shanghai date of its moment as its business day. The ledger posting is the
 * caller's (postToLedger), with the amounts and accounts returned here.
 *
 * One element per redemption: $1 voucher public ids, $2 redemption ids, $3 cashiers (staff
 * public ids), $4 order amounts (fen), $5 order numbers, $6 redeemed at, $7 code digests.
 */
export const INSERT_DAY_REDEMPTIONS = `
  WITH sale AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::timestamptz[], $7::text[])
           AS s(voucher, redemption_id, cashier, amount, order_no, redeemed_at, digest)
  ), checked AS (
    SELECT s.*, v.id AS voucher_id, v.face_value_fen, c.city_share_bp, m.id AS merchant_id, m.public_id AS merchant_public_id, m.district
      FROM sale s
      JOIN vouchers v ON v.public_id = s.voucher
      JOIN campaigns c ON c.id = v.campaign_id
      JOIN merchant_staff st ON st.public_id = s.cashier AND st.disabled_at IS NULL
      JOIN merchants m ON m.id = st.merchant_id
     WHERE v.status = 'claimed' AND v.claimed_at <= s.redeemed_at AND v.expires_at > s.redeemed_at AND s.amount >= v.threshold_fen
       AND m.status = 'approved' AND m.category = ANY (c.categories) AND (cardinality(c.districts) = 0 OR m.district = ANY (c.districts))
  ), flipped AS (
    UPDATE vouchers v SET status = 'redeemed', redeemed_at = k.redeemed_at
      FROM checked k
     WHERE v.id = k.voucher_id AND v.status = 'claimed'
    RETURNING v.id
  ), redeemed AS (
    INSERT INTO redemptions (public_id, voucher_id, merchant_id, merchant_order_no, order_amount_fen, discount_fen,
                             city_fen, district_fen, status, redeemed_at, business_date, cashier_id, code_digest)
    SELECT k.redemption_id, k.voucher_id, k.merchant_id, k.order_no, k.amount, k.face_value_fen,
           city_part_fen(k.face_value_fen, k.city_share_bp), k.face_value_fen - city_part_fen(k.face_value_fen, k.city_share_bp),
           'completed', k.redeemed_at, (k.redeemed_at AT TIME ZONE 'Asia/Shanghai')::date, k.cashier, k.digest
      FROM flipped f JOIN checked k ON k.voucher_id = f.id
    RETURNING public_id, discount_fen, city_fen, district_fen
  )
  SELECT r.public_id AS "redemptionId", r.discount_fen::int AS "discountFen", r.city_fen::int AS "cityFen",
         r.district_fen::int AS "districtFen", k.merchant_public_id AS "merchantId", k.district
    FROM redeemed r JOIN checked k ON k.redemption_id = r.public_id`;
