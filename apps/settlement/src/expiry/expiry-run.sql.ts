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

/**
 * The run still open, if any: a job finding one resumes it. Returns "id", "publicId",
 * "chunkCount" and "planned" (false: opened by the job before the chunks by campaign).
 */
export const OPEN_RUN = `
  SELECT id, public_id AS "publicId", chunk_count AS "chunkCount", planned_at IS NOT NULL AS planned
    FROM expiry_runs WHERE finished_at IS NULL ORDER BY id LIMIT 1`;

/**
 * Opens a run, cutoff now, with no chunks yet: they are planned in the same transaction.
 * $1 public id. Returns "id" and "publicId".
 */
export const START_RUN = `
  INSERT INTO expiry_runs (public_id, cutoff, chunk_count) VALUES ($1::uuid, now(), 0)
  RETURNING id, public_id AS "publicId"`;

/**
 * A run opened by the job before the chunks by campaign cut its chunks by ids, numbered 0 to
 * $2 - 1: those it has not done are marked taken, with nothing expired, so that no worker of
 * that job (one still running while a deploy rolls) takes them any more. One whose worker is
 * in the middle of it is waited for. The plan that follows covers every id again. $1 run id.
 */
export const RETIRE_ID_CHUNKS = `
  INSERT INTO expiry_run_chunks (run_id, chunk_no) SELECT $1::bigint, g FROM generate_series(0, $2::int - 1) AS g
  ON CONFLICT DO NOTHING`;

/** Locks run $1 while it has no plan; no row once it has one. Returns "chunkCount". */
export const LOCK_UNPLANNED_RUN = `
  SELECT chunk_count AS "chunkCount" FROM expiry_runs
   WHERE id = $1::bigint AND planned_at IS NULL FOR UPDATE`;

/**
 * Plans run $1 (plan_expiry_run, migrations ExpiryRunSpans and ExpiryDueIndex), its chunks
 * numbered from $3: in each campaign with vouchers due by the run's cutoff (expiry_due_span, an
 * index probe for a campaign with none), the due vouchers' ids from the lowest to the highest, in
 * chunks of $2 ids. Vouchers written after this are left to the next run. Returns "planned", the
 * chunks planned.
 */
export const PLAN_CHUNKS = `SELECT plan_expiry_run($1::bigint, $2::bigint, $3::int) AS planned`;

/** Run $1 is planned: its chunks are those it did and the $2 planned. Returns "chunkCount". */
export const SET_PLANNED = `
  UPDATE expiry_runs SET chunk_count = chunks_done + $2::int, planned_at = now() WHERE id = $1::bigint
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

/**
 * Closes run $1 once it is planned and every chunk of its plan is done; no row otherwise.
 * Returns "expiredCount" and "expiredFen" (text).
 */
export const FINISH_RUN = `
  UPDATE expiry_runs x SET finished_at = now()
   WHERE x.id = $1::bigint AND x.finished_at IS NULL AND x.planned_at IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM expiry_run_spans s
                      WHERE s.run_id = x.id
                        AND NOT EXISTS (SELECT 1 FROM expiry_run_chunks c WHERE c.run_id = s.run_id AND c.chunk_no = s.chunk_no))
  RETURNING expired_count AS "expiredCount", expired_fen AS "expiredFen"`;

/** A finished run's plan, no longer needed: its chunks' rows keep what each did. */
export const DROP_PLAN = `DELETE FROM expiry_run_spans WHERE run_id = $1::bigint`;
