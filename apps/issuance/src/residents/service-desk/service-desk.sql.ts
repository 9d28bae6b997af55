/** The service desk's statements. */

/**
 * A resident's vouchers counted by what they are to the resident now: a claimed one past its
 * expiry is expired (as the resident's own list shows it). Found through voucher_keys (its
 * index leads with the resident), then each read by (campaign, id), as the resident's list does.
 * $1 the resident's id.
 */
export const VOUCHER_COUNTS = `
  SELECT count(*) FILTER (WHERE v.status = 'claimed' AND v.expires_at > now())::int AS unused,
         count(*) FILTER (WHERE v.status = 'redeemed')::int AS used,
         count(*) FILTER (WHERE v.status = 'expired' OR (v.status = 'claimed' AND v.expires_at <= now()))::int AS expired
    FROM voucher_keys k
    JOIN vouchers v ON v.campaign_id = k.campaign_id AND v.id = k.voucher_id
   WHERE k.resident_id = $1`;
