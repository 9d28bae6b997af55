/**
 * A voucher's status as its owner sees it: a claimed one past its expiry is expired, whether or
 * not anything has marked the row yet (the till refuses it all the same). Given the status and
 * expiry columns as the query names them (a query builder's property names, or plain SQL's).
 */
export const shownVoucherStatus = (status: string, expiresAt: string) =>
  `(CASE WHEN ${status} = 'claimed' AND ${expiresAt} <= now() THEN 'expired' ELSE ${status} END)`;

/**
 * Vouchers of one campaign's rounds by their public ids, each through its owner's public id
 * (never a voucher id without its owner), with the status its owner sees (a claimed voucher past
 * its expiry is expired: shownVoucherStatus). One statement answers a batch of grabs' retries
 * (HeldVouchers). $1 the campaign's internal id (vouchers is partitioned by campaign, so the read
 * probes that partition's index only); one array element a voucher asked for: $2 the resident's
 * public id, $3 the voucher's public id, $4 the internal id of the round it was grabbed in (a
 * SAME names a voucher of the round grabbed). A voucher not found (not yet committed, or not the
 * resident's) has no row.
 */
export const HELD_VOUCHERS = `
  SELECT v.public_id AS "publicId",
         ${shownVoucherStatus('v.status', 'v.expires_at')} AS status,
         v.claimed_at AS "claimedAt", v.expires_at AS "expiresAt", v.redeemed_at AS "redeemedAt"
    FROM unnest($2::uuid[], $3::uuid[], $4::bigint[]) AS q(resident_public_id, voucher_public_id, round_id)
    JOIN vouchers v ON v.campaign_id = $1::bigint AND v.public_id = q.voucher_public_id AND v.round_id = q.round_id
   WHERE v.resident_id = (SELECT res.id FROM residents res WHERE res.public_id = q.resident_public_id)`;
