/**
 * The end of a batch's build, once every chunk is recorded: its totals from its lines (what
 * it pays: the pending lines), and the batch goes from building to pending_approval. Changes
 * nothing, and returns no row, while a chunk is missing or when the batch is no longer building.
 *
 * $1 batch id. Returns the batch's "publicId", "lineCount" and "totalFen" (bigint: text).
 */
export const FINISH_BATCH = `
  UPDATE settlement_batches b
     SET status = 'pending_approval', built_at = now(), line_count = t.lines, redemption_count = t.redemptions, total_fen = t.total
    FROM (SELECT count(*)::int AS lines, COALESCE(sum(redemption_count), 0)::int AS redemptions,
                 COALESCE(sum(amount_fen) FILTER (WHERE status = 'pending'), 0) AS total
            FROM settlement_lines WHERE batch_id = $1::bigint) t
   WHERE b.id = $1::bigint AND b.status = 'building'
     AND (SELECT count(*) FROM settlement_chunks WHERE batch_id = $1::bigint) = b.chunk_count
  RETURNING b.public_id AS "publicId", b.line_count AS "lineCount", b.total_fen AS "totalFen"`;
