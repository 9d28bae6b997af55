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
