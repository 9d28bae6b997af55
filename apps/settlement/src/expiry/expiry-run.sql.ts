/**
 * The voucher expiry job's statements (DESIGN §8). A run expires, chunk by chunk, every voucher
 * whose validity ended by the run's cutoff; a chunk is a range of one campaign's voucher ids,
 * planned when the run opens, so it reads that campaign's partition only. Each chunk is one
 * transaction that records itself, so a chunk done is never done again.
 */

/**
 * Keeps a second worker from opening a run beside one being opened: the transaction's advisory
 * lock on $1 (EXPIRY_RUN_LOCK), released when it ends.
 */
export const LOCK_EXPIRY_RUNS = `SELECT pg_advisory_xact_lock($1::bigint)`;

/** The run still open, if any: a job finding one resumes it. Returns "id", "publicId", "chunkCount". */
export const OPEN_RUN = `
  SELECT id, public_id AS "publicId", chunk_count AS "chunkCount"
    FROM expiry_runs WHERE finished_at IS NULL ORDER BY id LIMIT 1`;

/**
 * Opens a run, cutoff now, with no chunks yet: PLAN_RUN plans them in the same transaction.
 * $1 public id. Returns "id" and "publicId".
 */
export const START_RUN = `
  INSERT INTO expiry_runs (public_id, cutoff, chunk_count) VALUES ($1::uuid, now(), 0)
  RETURNING id, public_id AS "publicId"`;

/**
 * Plans run $1 (migration ExpiryRunSpans' plan_expiry_run): each campaign's voucher ids, from its
 * lowest to its highest as they are now, in chunks of $2 ids. Vouchers claimed after this are
 * claimed after the cutoff, so not past it; the next run takes them. Returns "chunkCount".
 */
export const PLAN_RUN = `
  UPDATE expiry_runs SET chunk_count = plan_expiry_run(id, $2::bigint, 0) WHERE id = $1::bigint
  RETURNING chunk_count AS "chunkCount"`;

/** The chunks of run $1 not done yet, in order. Returns "chunkNo", "campaignId", "fromId" and "toId" (bigint: text). */
export const CHUNKS_LEFT = `
  SELECT s.chunk_no AS "chunkNo", s.campaign_id AS "campaignId", s.from_id AS "fromId", s.to_id AS "toId"
    FROM expiry_run_spans s
   WHERE s.run_id = $1::bigint
     AND NOT EXISTS (SELECT 1 FROM expiry_run_chunks c WHERE c.run_id = s.run_id AND c.chunk_no = s.chunk_no)
   ORDER BY s.chunk_no`;

/**
 * Takes chunk $2 of run $1: no row when it is done already. A worker doing the same chunk at the
 * same moment waits here on the other's uncommitted row, then gets none (or the chunk, if the
 * other rolled back). Returns "chunkNo".
 */
export const TAKE_CHUNK = `
  INSERT INTO expiry_run_chunks (run_id, chunk_no) VALUES ($1::bigint, $2::int)
  ON CONFLICT DO NOTHING RETURNING chunk_no AS "chunkNo"`;

/**
 * One chunk, set-based: vouchers of campaign $5 with ids in [$3, $4) whose validity
 * ended by the run's cutoff and that are still claimed become expired, recorded as this run's; so
 * are those a full refund marked expired since the last run (no run yet). The condition is on
 * the voucher row itself, so a till redeeming the voucher at the same moment and holding its
 * row lock decides: once it commits, Postgres re-checks the row, finds it redeemed and leaves
 * it (the till's own update is guarded by status = 'claimed' the same way). The chunk's count,
 * the run's totals and the per-round totals are added in the same statement.
 *
 * $1 run id, $2 chunk number, $3 first voucher id, $4 voucher id past the last, $5 campaign id
 * (a parameter, so the plan reads the campaign's partition only).
 * Returns "vouchers" and "faceValueFen" (bigint: text).
 */
export const EXPIRE_CHUNK = `
  WITH expired AS (
    UPDATE vouchers v SET status = 'expired', expiry_run_id = $1::bigint
     WHERE v.campaign_id = $5::bigint AND v.id >= $3::bigint AND v.id < $4::bigint
       AND v.expires_at <= (SELECT x.cutoff FROM expiry_runs x WHERE x.id = $1::bigint) AND v.expiry_run_id IS NULL
       AND (v.status = 'claimed' OR v.status = 'expired')
    RETURNING v.round_id, v.campaign_id, v.face_value_fen
  ), by_round AS (
    SELECT e.round_id, min(e.campaign_id) AS campaign_id, count(*)::int AS vouchers, sum(e.face_value_fen)::bigint AS face_value_fen
      FROM expired e GROUP BY e.round_id
  ), totals AS (
    INSERT INTO expiry_run_totals (run_id, round_id, campaign_id, voucher_type_id, vouchers, face_value_fen)
    SELECT $1::bigint, b.round_id, b.campaign_id, r.voucher_type_id, b.vouchers, b.face_value_fen
      FROM by_round b JOIN rounds r ON r.id = b.round_id
    ON CONFLICT (run_id, round_id) DO UPDATE
       SET vouchers = expiry_run_totals.vouchers + excluded.vouchers,
           face_value_fen = expiry_run_totals.face_value_fen + excluded.face_value_fen
  ), sums AS (
    SELECT count(*)::int AS vouchers, COALESCE(sum(face_value_fen), 0)::bigint AS face_value_fen FROM expired
  ), chunk AS (
    UPDATE expiry_run_chunks c SET expired_count = s.vouchers FROM sums s WHERE c.run_id = $1::bigint AND c.chunk_no = $2::int
  ), run AS (
    UPDATE expiry_runs x SET chunks_done = x.chunks_done + 1, expired_count = x.expired_count + s.vouchers,
                             expired_fen = x.expired_fen + s.face_value_fen
      FROM sums s WHERE x.id = $1::bigint
  )
  SELECT vouchers, face_value_fen AS "faceValueFen" FROM sums`;

/** Closes run $1 once every chunk is done; no row otherwise. Returns "expiredCount" and "expiredFen" (text). */
export const FINISH_RUN = `
  UPDATE expiry_runs SET finished_at = now()
   WHERE id = $1::bigint AND finished_at IS NULL AND chunks_done = chunk_count
  RETURNING expired_count AS "expiredCount", expired_fen AS "expiredFen"`;
