/**
 * Lifts the statement timeout for the rest of the rebuild's transaction (SET LOCAL, as a
 * statement that can be prepared): a rebuild reads every claim of a campaign.
 */
export const NO_STATEMENT_TIMEOUT = `SELECT set_config('statement_timeout', '0', true)`;

/**
 * Bumps the campaign's admission generation (the first is 1) and returns it. It waits for the
 * claim inserts that hold the old generation (FOR SHARE), then fences them out: an insert that
 * carries an older generation writes nothing.
 *
 * $1 campaign id.
 */
export const BUMP_GENERATION = `
  INSERT INTO campaign_admission (campaign_id, generation) VALUES ($1::bigint, 1)
  ON CONFLICT (campaign_id) DO UPDATE SET generation = campaign_admission.generation + 1
  RETURNING generation`;

/**
 * The campaign's returns to the pool (回流) as its admission state must hold them: their ids
 * (return-stock.lua adds each once; a rebuild writes them all, since the rounds' quantities and
 * the budget it reads include them), and the face value of the expired
 * vouchers whose value went back (to a later round or to the program), which the budget no
 * longer counts as spent.
 *
 * $1 campaign id. Returns "ids" (uuid[] as text[]) and "releasedFen" (bigint: text).
 */
export const RETURNS_HELD = `
  SELECT COALESCE(array_agg(public_id::text), '{}') AS ids,
         COALESCE(sum(value_fen) FILTER (WHERE source = 'expiry' AND destination <> 'kept'), 0)::bigint AS "releasedFen"
    FROM pool_returns WHERE campaign_id = $1::bigint`;

/**
 * Every claim of a campaign, with the public ids the admission state keys them by, for a
 * rebuild: a cursor of the rebuild's transaction, read FETCH_CLAIMS at a time (one plan for
 * the whole campaign rather than one a keyset page, which could join every resident again).
 *
 * $1 campaign id.
 */
export const OPEN_CLAIMS_CURSOR = `
  DECLARE admission_claims NO SCROLL CURSOR FOR
  SELECT res.public_id AS resident, r.public_id AS round, v.public_id AS voucher, v.person_seq, v.idempotency_key
    FROM vouchers v
    JOIN residents res ON res.id = v.resident_id
    JOIN rounds r ON r.id = v.round_id
   WHERE v.campaign_id = $1::bigint`;

export const FETCH_CLAIMS = `FETCH 20000 FROM admission_claims`;

export const CLOSE_CLAIMS_CURSOR = `CLOSE admission_claims`;
