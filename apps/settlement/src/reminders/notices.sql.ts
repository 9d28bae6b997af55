/**
 * The statements every kind of resident notice is sent with (sendPendingNotices, notice-sends.ts): once a run has decided
 * its notices (resident_notices, pending), it sends them page by page (keyset by id), each taken
 * by a committed update before its send.
 */

/** Keeps a second worker's decision from running beside one: the transaction's advisory lock on $1 (each kind's own key). */
export const LOCK_NOTICES = `SELECT pg_advisory_xact_lock($1::bigint)`;

/**
 * Pending notices of kind $1 whose earliest voucher has expired meanwhile (a run that could not
 * send for a day) are not sent any more: stale. Returns "stale" (an UPDATE: [rows, count] through TypeORM).
 */
export const MARK_STALE = `
  UPDATE resident_notices SET state = 'stale', done_at = now()
   WHERE kind = $1::varchar AND state = 'pending' AND earliest_expires_at <= now()`;

/**
 * The next page of pending notices of kind $1 after id $2, $3 of them, in id order, with the
 * resident's number as it is now (a number changed since the decision is the one sent to):
 * resident_notices_pending_idx, then the residents' primary key.
 * Returns "id" (text), "phone", "voucherCount", "expiryDate" (YYYY-MM-DD).
 */
export const NEXT_PENDING = `
  SELECT n.id, r.phone, n.voucher_count AS "voucherCount", to_char(n.expiry_date, 'YYYY-MM-DD') AS "expiryDate"
    FROM resident_notices n JOIN residents r ON r.id = n.resident_id
   WHERE n.kind = $1::varchar AND n.state = 'pending' AND n.id > $2::bigint
     -- A retired account (its number moved to another by a number change) has none; it holds no voucher either. A closed
     -- one has none (a notice decided before the closing stays pending until its vouchers expire, then stale).
     AND r.phone IS NOT NULL
   ORDER BY n.id
   LIMIT $3::int`;

/**
 * Takes notice $1 for sending, committed before the send: no row when another sender took it
 * first (or it went stale). Returns "id".
 */
export const TAKE_NOTICE = `
  UPDATE resident_notices SET state = 'sending', taken_at = now()
   WHERE id = $1::bigint AND state = 'pending' AND earliest_expires_at > now()
  RETURNING id`;

/**
 * Notices of kind $1 taken for sending more than 10 minutes ago and never ended: their sender died
 * between the take and the record (a send takes seconds, a gateway's timeout included). Whether
 * the message went is not known, so they end as unknown and are never sent again.
 * resident_notices_sending_idx. Returns "[rows, count]" through TypeORM.
 */
export const END_ABANDONED = `
  UPDATE resident_notices SET state = 'unknown', done_at = now()
   WHERE kind = $1::varchar AND state = 'sending' AND taken_at < now() - interval '10 minutes'`;

/** Notice $1's send ended: $2 is sent, failed or unknown. */
export const END_NOTICE = `
  UPDATE resident_notices SET state = $2::varchar, done_at = now() WHERE id = $1::bigint AND state = 'sending'`;

/** Notice $1 was refused by a gateway that sent nothing (it is down): pending again, for the next attempt. */
export const GIVE_BACK_NOTICE = `
  UPDATE resident_notices SET state = 'pending', taken_at = NULL WHERE id = $1::bigint AND state = 'sending'`;
