/**
 * Sign-ups of one lottery round, group-committed: one statement for a batch of residents. It
 * writes only while the round takes sign-ups (its campaign active, now inside the window, the
 * list not frozen) and takes a share lock on the round's draw row for that check: the freeze,
 * which updates that row, waits for inserts in flight, and an insert that waited on the freeze
 * re-reads frozen_at and writes nothing. `open` says whether it could write at all; a resident
 * who had signed up already is in neither list of new rows, which is the same entry (idempotent).
 * Only a live account enters: `gone` lists the public ids of the batch with none (closed, or
 * retired by a number change, since the caller's token was signed; or never there).
 *
 * $1 round id; one array element per sign-up: $2 resident public ids, $3 entry hashes.
 */
export const INSERT_ENTRIES = `
  WITH open_round AS (
    SELECT d.round_id FROM lottery_draws d
      JOIN rounds r ON r.id = d.round_id
      JOIN campaigns c ON c.id = r.campaign_id
     WHERE d.round_id = $1 AND d.frozen_at IS NULL AND c.status = 'active'
       AND r.signup_opens_at <= now() AND now() < r.signup_closes_at
       FOR SHARE OF d
  ), live AS (
    SELECT e.resident_id AS public_id, res.id, e.entry_hash
      FROM unnest($2::uuid[], $3::text[]) AS e(resident_id, entry_hash)
      JOIN residents res ON res.public_id = e.resident_id AND res.phone IS NOT NULL
  ), inserted AS (
    INSERT INTO lottery_entries (round_id, resident_id, entry_hash)
    SELECT $1, live.id, live.entry_hash FROM live
     WHERE EXISTS (SELECT 1 FROM open_round)
    ON CONFLICT (round_id, resident_id) DO NOTHING
    RETURNING resident_id
  )
  SELECT (SELECT count(*) FROM open_round)::int AS open, (SELECT count(*) FROM inserted)::int AS inserted,
         ARRAY(SELECT e.resident_id::text FROM unnest($2::uuid[]) AS e(resident_id)
                WHERE e.resident_id NOT IN (SELECT public_id FROM live)) AS gone`;

/**
 * Locks a lottery round's draw row for the rest of the transaction, with the database's clock
 * and the round's sign-up end: the freeze, the public value and the draw each change it in turn.
 *
 * $1 round id.
 */
export const LOCK_DRAW = `
  SELECT d.round_id, d.frozen_at, d.proposed_value, d.proposed_by, d.public_value, d.drawn_at, d.published_at,
         now() >= r.signup_closes_at AS closed
    FROM lottery_draws d JOIN rounds r ON r.id = d.round_id
   WHERE d.round_id = $1
     FOR UPDATE OF d`;

/** Every entry hash of a round, in order (the published list). $1 round id. */
export const ENTRY_HASHES = `SELECT entry_hash FROM lottery_entries WHERE round_id = $1 ORDER BY entry_hash`;

/**
 * Memory for the draw's ranking (SET LOCAL, as a statement that can be prepared): the first
 * entrants of millions are kept in a bounded heap in memory rather than sorted on disk.
 */
export const DRAW_WORK_MEM = `SELECT set_config('work_mem', '512MB', true)`;

/**
 * How many of a round's entrants already hold the campaign's per-person limit (or more): the
 * most the draw can skip, so the first (left + this) in draw order hold every winner.
 *
 * $1 round id, $2 campaign id, $3 per-person limit.
 */
export const ENTRANTS_AT_LIMIT = `
  SELECT count(*)::int AS at_limit
    FROM (SELECT resident_id FROM vouchers WHERE campaign_id = $2 GROUP BY resident_id HAVING count(*) >= $3) h
    JOIN lottery_entries e ON e.round_id = $1 AND e.resident_id = h.resident_id`;

/**
 * A page of a round's entrants in draw order (LOTTERY.md): by SHA-256(seed hex ‖ public value ‖
 * entry hash) as UTF-8 text, lowest first, ties (impossible in practice) by entry hash. The
 * digest's bytes compare as its lower-case hex does, so this is lottery-hashes.ts's drawOrder,
 * computed by Postgres over the frozen list (in parallel, a bounded sort) rather than in Node
 * over every row sent across.
 *
 * $1 round id, $2 seed hex ‖ public value, $3 how many, $4 how many to pass over first.
 */
export const RANKED_ENTRANTS = `
  SELECT e.entry_hash, e.resident_id
    FROM lottery_entries e
   WHERE e.round_id = $1
   ORDER BY sha256(convert_to($2::text || e.entry_hash::text, 'UTF8')), e.entry_hash COLLATE "C"
   LIMIT $3 OFFSET $4`;

/** How many entrants the frozen list holds (set by the freeze). $1 round id. */
export const ENTRANTS_COUNT = `SELECT entrants_count FROM lottery_draws WHERE round_id = $1`;

/**
 * The campaign's status, held until the draw commits (FOR SHARE): a transition (which locks the
 * row for update) waits for the draw, or the draw sees the campaign as the transition left it.
 * $1 campaign id.
 */
export const CAMPAIGN_STATUS_HELD = `SELECT status FROM campaigns WHERE id = $1 FOR SHARE`;

/**
 * The campaign's admission generation now: a draw committed but not yet published fences its
 * load at this one (a state loaded before the draw holds an older one, however it got there).
 * $1 the campaign's row id.
 */
export const ADMISSION_GENERATION = `SELECT generation FROM campaign_admission WHERE campaign_id = $1`;

/** The round's secret seed: read by the draw only, once the public value is settled. $1 round id. */
export const READ_SEED = `SELECT seed FROM lottery_seeds WHERE round_id = $1`;

/**
 * The person slots (vouchers.person_seq) each of these residents already holds in the campaign:
 * what the per-person limit counts.
 *
 * $1 campaign id, $2 resident ids.
 */
export const HELD_SLOTS = `
  SELECT resident_id, array_agg(person_seq)::int[] AS slots
    FROM vouchers WHERE campaign_id = $1 AND resident_id = ANY($2::bigint[])
   GROUP BY resident_id`;

/**
 * One chunk of drawn entrants, one statement: the winners' vouchers, under the same keys and
 * trigger as a grab's (one per person and round, slots unique per person and campaign, and
 * rounds.issued raised by the trigger whose check refuses more than the round's quantity), and
 * every drawn entrant's outcome, a winner's with the voucher just inserted for them (a resident
 * has one voucher in the round).
 *
 * $1 campaign id, $2 round id, $3 face value, $4 threshold (fen), $5 claimed at, $6 expires at;
 * per winner: $7 voucher public ids, $8 resident ids, $9 person slots; per drawn entrant:
 * $10 ranks, $11 entry hashes, $12 resident ids, $13 skip reasons ('' for a winner).
 */
export const INSERT_DRAWN = `
  WITH won AS (
    INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen,
                          status, claimed_at, expires_at)
    SELECT w.public_id, $1, $2, w.resident_id, w.slot, $3, $4, 'claimed', $5, $6
      FROM unnest($7::uuid[], $8::bigint[], $9::smallint[]) AS w(public_id, resident_id, slot)
    RETURNING id, resident_id
  )
  INSERT INTO lottery_outcomes (round_id, rank, entry_hash, resident_id, outcome, skip_reason, voucher_id)
  SELECT $2, o.rank, o.entry_hash, o.resident_id, CASE WHEN won.id IS NULL THEN 'skipped' ELSE 'won' END, NULLIF(o.reason, ''), won.id
    FROM unnest($10::int[], $11::text[], $12::bigint[], $13::text[]) AS o(rank, entry_hash, resident_id, reason)
    LEFT JOIN won ON won.resident_id = o.resident_id`;

/**
 * A resident's entry in a round and, once published, its outcome.
 *
 * $1 round id, $2 resident public id.
 */
export const MY_ENTRY = `
  SELECT e.entry_hash, o.outcome, o.skip_reason, v.public_id AS voucher_id
    FROM lottery_entries e
    JOIN residents res ON res.id = e.resident_id
    LEFT JOIN lottery_outcomes o ON o.round_id = e.round_id AND o.entry_hash = e.entry_hash
    LEFT JOIN vouchers v ON v.id = o.voucher_id
   WHERE e.round_id = $1 AND res.public_id = $2`;

/** A round's drawn entrants in rank order, for the published results. $1 round id. */
export const OUTCOMES = `SELECT rank, entry_hash, outcome, skip_reason FROM lottery_outcomes WHERE round_id = $1 ORDER BY rank`;

/**
 * A campaign's lottery rounds as officials follow them (the campaign's console page): each
 * round's published facts, its entrants (counted live until the list is frozen, then the frozen
 * count: COALESCE never runs the count once frozen), who proposed and who confirmed the public
 * value (their names, for four eyes to be seen), and where it stands by the database's clock,
 * as LOCK_DRAW's `closed`. Winners and skips are counted only once the draw is published, and so
 * is how the winners were told (the settlement worker's lottery_won notices of the round, by state,
 * through resident_notices_round_key).
 *
 * $1 campaign id.
 */
export const CAMPAIGN_LOTTERIES = `
  SELECT r.public_id AS round_id, t.public_id AS voucher_type_id, r.quantity, r.signup_opens_at, r.signup_closes_at,
         d.commitment, d.public_value_source, d.frozen_at, d.entrants_digest,
         COALESCE(d.entrants_count, (SELECT count(*) FROM lottery_entries e WHERE e.round_id = r.id))::int AS entrants,
         d.proposed_value, d.proposed_by, p.name AS proposed_by_name, d.proposed_at,
         d.public_value, d.confirmed_by, k.name AS confirmed_by_name, d.confirmed_at,
         d.drawn_at, d.published_at, o.winners, o.skipped, m.told_sent, m.told_waiting, m.told_failed, m.told_unknown,
         now() < r.signup_opens_at AS before_signup, now() >= r.signup_closes_at AS closed
    FROM rounds r
    JOIN voucher_types t ON t.id = r.voucher_type_id
    JOIN lottery_draws d ON d.round_id = r.id
    LEFT JOIN officials p ON p.public_id = d.proposed_by
    LEFT JOIN officials k ON k.public_id = d.confirmed_by
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE x.outcome = 'won')::int AS winners, count(*) FILTER (WHERE x.outcome = 'skipped')::int AS skipped
        FROM lottery_outcomes x WHERE x.round_id = r.id AND d.published_at IS NOT NULL
    ) o ON true
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE n.state = 'sent')::int AS told_sent,
             count(*) FILTER (WHERE n.state IN ('pending', 'sending'))::int AS told_waiting,
             count(*) FILTER (WHERE n.state IN ('failed', 'stale'))::int AS told_failed,
             count(*) FILTER (WHERE n.state = 'unknown')::int AS told_unknown
        FROM resident_notices n WHERE n.round_id = r.id AND n.kind = 'lottery_won' AND d.published_at IS NOT NULL
    ) m ON true
   WHERE r.campaign_id = $1 AND r.kind = 'lottery'
   ORDER BY r.opens_at, r.id`;
