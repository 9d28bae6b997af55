/**
 * The state of a voucher its owner asks a checkout code for: $1 the voucher's public id, $2 the
 * owner's. Found in voucher_keys (its id, campaign and resident: one probe of the public id's
 * unique key), then read by (campaign, id), so the run enters that campaign's partition of
 * vouchers only; a read by public id alone would probe every campaign's. No row: the caller
 * holds no such voucher (or has closed their account since the token was signed).
 */
export const OWNED_VOUCHER_STATE = `
  SELECT v.status, v.expires_at <= now() AS expired
    FROM voucher_keys k
    JOIN vouchers v ON v.campaign_id = k.campaign_id AND v.id = k.voucher_id
   WHERE k.public_id = $1
     AND k.resident_id = (SELECT res.id FROM residents res WHERE res.public_id = $2 AND res.closed_at IS NULL)`;
