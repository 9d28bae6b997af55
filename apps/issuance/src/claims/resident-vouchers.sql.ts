/**
 * A voucher of a round by its public id, through its owner's public id (never a voucher id
 * without its owner), with the status its owner sees (a claimed voucher past its expiry is
 * expired: SHOWN_VOUCHER_STATUS). $1 resident public id, $2 voucher public id, $3 the round's
 * internal id (a SAME names a voucher of the round grabbed), $4 its campaign's: vouchers is
 * partitioned by campaign, so the read probes that partition's index only.
 */
export const HELD_VOUCHER = `
  SELECT v.public_id AS "publicId",
         CASE WHEN v.status = 'claimed' AND v.expires_at <= now() THEN 'expired' ELSE v.status END AS status,
         v.claimed_at AS "claimedAt", v.expires_at AS "expiresAt", v.redeemed_at AS "redeemedAt"
    FROM vouchers v
   WHERE v.campaign_id = $4
     AND v.public_id = $2
     AND v.round_id = $3
     AND v.resident_id = (SELECT res.id FROM residents res WHERE res.public_id = $1)`;
