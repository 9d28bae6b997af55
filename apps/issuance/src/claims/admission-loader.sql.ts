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
