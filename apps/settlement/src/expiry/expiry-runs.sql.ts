/**
 * The totals by round of the expiry runs $1 (ids), with the public ids of their campaign, voucher
 * type and round; $2 a district (a district official's scope: the campaigns of that district
 * alone), or null for every campaign. Returns "runId", "campaignId", "voucherTypeId", "roundId",
 * "vouchers" and "faceValueFen" (bigint: text).
 */
export const RUN_TOTALS = `
  SELECT t.run_id AS "runId", c.public_id AS "campaignId", vt.public_id AS "voucherTypeId", r.public_id AS "roundId",
         t.vouchers, t.face_value_fen AS "faceValueFen"
    FROM expiry_run_totals t
    JOIN campaigns c ON c.id = t.campaign_id
    JOIN voucher_types vt ON vt.id = t.voucher_type_id
    JOIN rounds r ON r.id = t.round_id
   WHERE t.run_id = ANY ($1::bigint[]) AND ($2::text IS NULL OR c.districts = ARRAY[$2::text])
   ORDER BY t.run_id, c.public_id, r.public_id`;
