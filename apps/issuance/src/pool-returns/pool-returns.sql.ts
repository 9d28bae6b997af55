/**
 * The return to the pool's statements (回流, DESIGN §8). A source is what an expiry run expired
 * of one round ("expiry:<run>:<round>"), or what a closed round left unclaimed ("round:<round>");
 * each is returned once, in one transaction that records it (pool_returns, unique per source),
 * moves its value and checks the budget figures.
 */

/**
 * Expiry sources not returned yet: per-round totals of finished runs, of campaigns whose policy
 * returns value. $1 the most to take. Returns "sourceKey", "runId", "roundId", "campaignId".
 */
export const EXPIRY_SOURCES = `
  SELECT 'expiry:' || t.run_id || ':' || t.round_id AS "sourceKey", t.run_id AS "runId", t.round_id AS "roundId", t.campaign_id AS "campaignId"
    FROM expiry_run_totals t
    JOIN expiry_runs x ON x.id = t.run_id AND x.finished_at IS NOT NULL
    JOIN campaigns c ON c.id = t.campaign_id AND c.return_policy <> 'none'
   WHERE NOT EXISTS (SELECT 1 FROM pool_returns p WHERE p.source_key = 'expiry:' || t.run_id || ':' || t.round_id)
   ORDER BY t.run_id, t.round_id
   LIMIT $1::int`;

/**
 * Closed-round sources not returned yet: grab rounds that closed more than $1 ms ago with stock
 * left, of campaigns whose policy returns value. A round closes at its own close or at the
 * campaign's validUntil, whichever is first (roundClosesAt; LEAST skips a null): a round without
 * its own close ends with the campaign's validity. $2 the most to take.
 * Returns "sourceKey", "runId" (null), "roundId", "campaignId".
 */
export const CLOSED_ROUND_SOURCES = `
  SELECT 'round:' || r.id AS "sourceKey", NULL::bigint AS "runId", r.id AS "roundId", r.campaign_id AS "campaignId"
    FROM rounds r
    JOIN campaigns c ON c.id = r.campaign_id AND c.return_policy <> 'none'
   WHERE r.kind = 'grab' AND LEAST(r.closes_at, c.valid_until) < now() - make_interval(secs => $1::int / 1000.0) AND r.issued < r.quantity
     AND NOT EXISTS (SELECT 1 FROM pool_returns p WHERE p.source_key = 'round:' || r.id)
   ORDER BY r.id
   LIMIT $2::int`;

/**
 * Takes the campaign's row for the return (FOR NO KEY UPDATE): a rebuild of its admission state
 * (which reads it FOR SHARE) waits for the return to commit, or the return for the rebuild, so
 * a rebuild never reads half of one; claim inserts (FOR KEY SHARE by their foreign key) go on.
 * $1 campaign id. Returns "publicId", "returnPolicy", "cityShareBp", "status".
 */
export const LOCK_CAMPAIGN = `
  SELECT public_id AS "publicId", return_policy AS "returnPolicy", city_share_bp AS "cityShareBp", status
    FROM campaigns WHERE id = $1::bigint FOR NO KEY UPDATE`;

/** Whether source $1 was returned already (by a worker beside this one, or before a crash). */
export const RETURNED_ALREADY = `SELECT 1 FROM pool_returns WHERE source_key = $1::varchar`;

/**
 * What an expiry source holds: $1 run id, $2 round id. Returns "vouchers", "valueFen" (text),
 * "voucherTypeId", "roundPublicId", "opensAt", "runPublicId", "stockBuckets".
 */
export const EXPIRY_AMOUNT = `
  SELECT t.vouchers, t.face_value_fen AS "valueFen", t.voucher_type_id AS "voucherTypeId",
         r.public_id AS "roundPublicId", r.opens_at AS "opensAt", x.public_id AS "runPublicId", r.stock_buckets AS "stockBuckets"
    FROM expiry_run_totals t JOIN rounds r ON r.id = t.round_id JOIN expiry_runs x ON x.id = t.run_id
   WHERE t.run_id = $1::bigint AND t.round_id = $2::bigint`;

/**
 * What a closed round left unclaimed, its row locked (the claim writer's raise of issued waits).
 * $1 round id. Returns "vouchers", "valueFen" (text), "voucherTypeId", "roundPublicId", "opensAt", "runPublicId" (null),
 * "stockBuckets".
 */
export const UNCLAIMED_AMOUNT = `
  SELECT r.quantity - r.issued AS vouchers, ((r.quantity - r.issued)::bigint * vt.face_value_fen)::bigint AS "valueFen",
         r.voucher_type_id AS "voucherTypeId", r.public_id AS "roundPublicId", r.opens_at AS "opensAt", NULL::uuid AS "runPublicId",
         r.stock_buckets AS "stockBuckets"
    FROM rounds r JOIN voucher_types vt ON vt.id = r.voucher_type_id
   WHERE r.id = $1::bigint
     FOR NO KEY UPDATE OF r`;

/**
 * The round a next_round return goes to: the first grab round of the same campaign and voucher
 * type that opens after the source round and has not closed, by its own close or the campaign's
 * validUntil (a round past either admits no grab: stock raised there would never come out).
 * $1 campaign id, $2 voucher type id, $3 source round id, $4 the source round's opening.
 * Returns "id", "publicId".
 */
export const TARGET_ROUND = `
  SELECT r.id, r.public_id AS "publicId" FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
   WHERE r.campaign_id = $1::bigint AND r.voucher_type_id = $2::bigint AND r.kind = 'grab' AND r.id <> $3::bigint
     AND r.opens_at > $4::timestamptz AND (LEAST(r.closes_at, c.valid_until) IS NULL OR LEAST(r.closes_at, c.valid_until) > now())
   ORDER BY r.opens_at, r.id
   LIMIT 1
     FOR NO KEY UPDATE OF r`;

/**
 * Records a return; no row when its source is recorded already. The city's part is
 * city_part_fen with the campaign's share (rounded down), the district's the rest.
 * $1 public id, $2 source key, $3 source, $4 expiry run id (null), $5 source round id,
 * $6 campaign id, $7 voucher type id, $8 destination, $9 target round id (null), $10 vouchers,
 * $11 value fen, $12 city share bp, $13 Redis stock, $14 Redis budget change (fen).
 * Returns "id", "cityFen" and "districtFen" (text).
 */
export const INSERT_RETURN = `
  INSERT INTO pool_returns (public_id, source_key, source, expiry_run_id, source_round_id, campaign_id, voucher_type_id,
                            destination, target_round_id, vouchers, value_fen, city_fen, district_fen, redis_stock, redis_budget_fen)
  VALUES ($1::uuid, $2::varchar, $3::varchar, $4::bigint, $5::bigint, $6::bigint, $7::bigint, $8::varchar, $9::bigint, $10::int,
          $11::bigint, city_part_fen($11::bigint, $12::int), $11::bigint - city_part_fen($11::bigint, $12::int), $13::int, $14::bigint)
  ON CONFLICT (source_key) DO NOTHING
  RETURNING id, city_fen AS "cityFen", district_fen AS "districtFen"`;

/** Raises round $1's quantity by $2 (a next_round return's target). */
export const RAISE_ROUND = `UPDATE rounds SET quantity = quantity + $2::int WHERE id = $1::bigint`;

/** Lowers closed round $1's quantity by $2, the stock that left it (issued ≤ quantity still holds: $2 is quantity - issued). */
export const LOWER_ROUND = `UPDATE rounds SET quantity = quantity - $2::int WHERE id = $1::bigint`;

/** Hands $2 fen of campaign $1's budget back to the program (program_budget). */
export const HAND_BACK_BUDGET = `UPDATE campaigns SET budget_fen = budget_fen - $2::bigint, returned_fen = returned_fen + $2::bigint WHERE id = $1::bigint`;

/**
 * Returns whose Redis half is not done yet (a crash between the commit and the script, or a
 * busy state), oldest first. $1 the most to take.
 * Returns "id", "publicId", "campaignPublicId", "sourceRoundPublicId", "targetRoundPublicId",
 * "redisStock", "redisBudgetFen" (text), "sourceStock" (what the source round gives up), "buckets" (the
 * source round's stockBuckets, every round of the campaign's).
 */
export const REDIS_PENDING = `
  SELECT p.id, p.public_id AS "publicId", c.public_id AS "campaignPublicId", s.public_id AS "sourceRoundPublicId",
         t.public_id AS "targetRoundPublicId", p.redis_stock AS "redisStock", p.redis_budget_fen AS "redisBudgetFen",
         CASE WHEN p.source = 'round_close' THEN -p.vouchers ELSE 0 END AS "sourceStock", s.stock_buckets AS "buckets"
    FROM pool_returns p
    JOIN campaigns c ON c.id = p.campaign_id
    JOIN rounds s ON s.id = p.source_round_id
    LEFT JOIN rounds t ON t.id = p.target_round_id
   WHERE p.redis_applied_at IS NULL
   ORDER BY p.id
   LIMIT $1::int`;

/** Marks return $1's Redis half done. */
export const MARK_APPLIED = `UPDATE pool_returns SET redis_applied_at = now() WHERE id = $1::bigint AND redis_applied_at IS NULL`;

/** How many returns wait for their Redis step (the partial index pool_returns_redis_pending_idx). Returns "pending". */
export const REDIS_PENDING_COUNT = `SELECT count(*)::int AS pending FROM pool_returns WHERE redis_applied_at IS NULL`;
